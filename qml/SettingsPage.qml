// Settings: the server and who is signed in, sync now, how fresh each partition of the replica is,
// support exports (logs, pending commands) and sign-out -- refused while work is unsent, unless
// the rep exports it first (the file imports on another device: nothing is lost with a device).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "settingsPage"
    title: qsTr("Settings")
    background: Rectangle { color: Theme.background }

    property string message: ""
    property bool messageIsError: false
    property bool signOutRefused: false

    function say(text, isError) {
        message = text
        messageIsError = isError
    }
    function trySignOut(afterExport) {
        if (Session.signOut(afterExport)) {
            say("", false)
            signOutRefused = false
            return
        }
        signOutRefused = Session.errorCode === "session.pending_commands"
        say(signOutRefused
            ? qsTr("Not signed out: %n change(s) have not reached the server yet. Sync first, or export them to a file that can be imported on another device.", "", Session.pendingCount + Session.failedCount)
            : Session.errorText, true)
    }

    header: ToolBar {
        Label {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            verticalAlignment: Text.AlignVCenter
            text: page.title
            font.pixelSize: Theme.fontTitle
        }
    }

    FileDialog {
        id: exportPendingDialog
        title: qsTr("Export unsent changes")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Outpost export (*.json)")]
        property bool thenSignOut: false
        onAccepted: {
            if (!Session.exportPending(selectedFile)) {
                page.say(Session.errorText, true)
                return
            }
            page.say(qsTr("Unsent changes exported to %1").arg(selectedFile.toString()), false)
            if (thenSignOut)
                page.trySignOut(true)
        }
    }
    FileDialog {
        id: exportLogsDialog
        title: qsTr("Export logs")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Log files (*.log *.txt)")]
        onAccepted: Session.exportLogs(selectedFile)
                    ? page.say(qsTr("Logs exported to %1").arg(selectedFile.toString()), false)
                    : page.say(Session.errorText, true)
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(scroll.availableWidth - 2 * Theme.margin, 880)
            x: Theme.margin
            spacing: Theme.gapLarge

            Item { Layout.preferredHeight: Theme.gap }

            Section { text: qsTr("Account") }
            GridLayout {
                columns: 2
                columnSpacing: Theme.gapLarge
                rowSpacing: Theme.gap
                Label { text: qsTr("Server"); color: Theme.textMuted }
                Label { objectName: "settingsServer"; text: Session.serverUrl.toString(); Layout.fillWidth: true; elide: Text.ElideMiddle }
                Label { text: qsTr("Signed in as"); color: Theme.textMuted }
                Label { objectName: "settingsUser"; text: Session.displayName !== "" ? qsTr("%1 (%2)").arg(Session.displayName).arg(Session.userName) : Session.userName }
                Label { text: qsTr("Role"); color: Theme.textMuted }
                Label { objectName: "settingsRole"; text: Session.role }
                Label { text: qsTr("Company"); color: Theme.textMuted }
                Label { objectName: "settingsTenant"; text: Session.tenant }
            }

            Section { text: qsTr("Sync") }
            ColumnLayout {
                spacing: Theme.gap
                Button {
                    objectName: "settingsSyncButton"
                    text: Session.syncing ? qsTr("Syncing\u2026") : qsTr("Sync now")
                    enabled: !Session.syncing
                    highlighted: true
                    Layout.preferredHeight: Theme.touch
                    onClicked: Session.syncNow()
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Last sync %1 \u00B7 %n change(s) waiting to send", "", Session.pendingCount).arg(Session.lastSuccessText)
                    color: Theme.textMuted
                    wrapMode: Text.WordWrap
                }
            }
            Label {
                text: qsTr("Freshness per partition")
                font.bold: true
            }
            ListView {
                id: partitions
                objectName: "settingsPartitions"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.max(contentHeight, Theme.rowHeight)
                interactive: false
                model: Session.partitions
                delegate: Rectangle {
                    id: partitionRow
                    required property string partition
                    required property string age
                    required property int index
                    width: ListView.view.width
                    height: Theme.rowHeight * 0.75
                    color: index % 2 === 0 ? Theme.surface : Theme.background
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.gap
                        anchors.rightMargin: Theme.gap
                        Label { text: partitionRow.partition; Layout.fillWidth: true }
                        Label { text: partitionRow.age; color: Theme.textMuted }
                    }
                }
                Label {
                    visible: partitions.count === 0
                    anchors.centerIn: parent
                    text: qsTr("Nothing synced yet.")
                    color: Theme.textMuted
                }
            }

            Section { text: qsTr("Signatures and photos") }
            GridLayout {
                columns: 2
                columnSpacing: Theme.gapLarge
                rowSpacing: Theme.gap
                Label { text: qsTr("Photo size"); color: Theme.textMuted }
                ComboBox {
                    id: edgeBox
                    objectName: "photoMaxEdgeBox"
                    readonly property var edges: [1024, 1600, 2048, 3072, 4096, 0]
                    model: edges.map(e => e === 0 ? qsTr("Original") : qsTr("%1 px longest edge").arg(e))
                    currentIndex: Math.max(0, edges.indexOf(Attachments.photoMaxEdge))
                    Layout.preferredWidth: 260
                    Layout.preferredHeight: Theme.touch
                    onActivated: (i) => Attachments.photoMaxEdge = edges[i]
                }
                Label { text: qsTr("JPEG quality"); color: Theme.textMuted }
                SpinBox {
                    objectName: "photoQualityBox"
                    from: 30; to: 100; stepSize: 5
                    value: Attachments.photoQuality
                    editable: true
                    Layout.preferredHeight: Theme.touch
                    onValueModified: Attachments.photoQuality = value
                }
                Label { text: qsTr("Waiting to send"); color: Theme.textMuted }
                Label {
                    objectName: "settingsAttachmentsWaiting"
                    text: Attachments.uploading
                          ? qsTr("%n attachment(s), sending now", "", Attachments.waitingCount)
                          : qsTr("%n attachment(s)", "", Attachments.waitingCount)
                }
                Label { text: qsTr("Failed"); color: Theme.textMuted }
                Label {
                    objectName: "settingsAttachmentsFailed"
                    text: qsTr("%n attachment(s)", "", Attachments.failedCount)
                    color: Attachments.failedCount > 0 ? Theme.error : Theme.text
                }
            }
            Button {
                objectName: "attachmentsSendNowButton"
                text: qsTr("Send attachments now")
                enabled: Attachments.waitingCount + Attachments.failedCount > 0 && !Attachments.uploading
                Layout.preferredHeight: Theme.touch
                onClicked: Attachments.sendNow()
            }

            Section { text: qsTr("Support") }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.gap
                Button {
                    objectName: "exportLogsButton"
                    text: qsTr("Export logs\u2026")
                    height: Theme.touch
                    onClicked: exportLogsDialog.open()
                }
                Button {
                    objectName: "exportPendingButton"
                    text: qsTr("Export unsent changes\u2026")
                    height: Theme.touch
                    enabled: Session.pendingCount + Session.failedCount > 0
                    onClicked: {
                        exportPendingDialog.thenSignOut = false
                        exportPendingDialog.open()
                    }
                }
            }

            Section { text: qsTr("Sign out") }
            Label {
                Layout.fillWidth: true
                text: qsTr("Signing out removes this device's copy of the data.")
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "settingsMessage"
                Layout.fillWidth: true
                visible: page.message !== ""
                text: page.message
                color: page.messageIsError ? Theme.error : Theme.ok
                wrapMode: Text.WordWrap
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.gap
                Button {
                    objectName: "signOutButton"
                    text: qsTr("Sign out")
                    height: Theme.touch
                    onClicked: page.trySignOut(false)
                }
                Button {
                    objectName: "exportAndSignOutButton"
                    visible: page.signOutRefused
                    text: qsTr("Export unsent changes and sign out\u2026")
                    height: Theme.touch
                    onClicked: {
                        exportPendingDialog.thenSignOut = true
                        exportPendingDialog.open()
                    }
                }
            }
            Item { Layout.preferredHeight: Theme.gapLarge }
        }
    }

    component Section: Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.gap
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.primary
    }
}
