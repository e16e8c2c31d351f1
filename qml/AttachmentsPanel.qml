// The signatures and photos of one order or account: a thumbnail per attachment with its caption
// and a state chip (waiting, uploading n %, delivered, failed with the reason and Retry, on the
// server). Tapping one opens the viewer. Capture happens elsewhere (SignatureDialog, PhotoDialog).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

ColumnLayout {
    id: panel
    objectName: "attachmentsPanel"
    spacing: Theme.gapSmall

    property string ownerType: "order"
    property string ownerId: ""
    property string title: qsTr("Signatures and photos")
    readonly property alias model: attachments
    readonly property int count: attachments.count

    AttachmentListModel {
        id: attachments
        ownerType: panel.ownerType
        ownerId: panel.ownerId
    }

    AttachmentViewer { id: viewer }

    function chipColor(state) {
        switch (state) {
        case "delivered": return Theme.ok
        case "failed": return Theme.error
        case "remote": return Theme.textMuted
        default: return Theme.info
        }
    }

    RowLayout {
        Layout.fillWidth: true
        visible: panel.title !== "" || attachments.refreshing
        Label {
            text: panel.title
            font.pixelSize: Theme.fontBody
            font.bold: true
            Layout.fillWidth: true
        }
        BusyIndicator {
            running: attachments.refreshing
            visible: running
            implicitWidth: 24; implicitHeight: 24
        }
    }
    Label {
        objectName: "attachmentsEmpty"
        visible: attachments.count === 0
        text: qsTr("None yet.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }

    ListView {
        id: list
        objectName: "attachmentsList"
        Layout.fillWidth: true
        Layout.preferredHeight: count > 0 ? 144 : 0
        orientation: ListView.Horizontal
        spacing: Theme.gap
        clip: true
        model: attachments
        ScrollBar.horizontal: ScrollBar {}
        delegate: ItemDelegate {
            id: card
            required property int index
            required property string attachmentId
            required property string kind
            required property string caption
            required property string fileName
            required property url thumbnailUrl
            required property var model   // its "state" role: Item has a state property of its own
            readonly property string uploadState: model.state
            required property string stateText
            required property real progress
            required property string signerName
            required property bool changedSinceSigning
            objectName: "attachment_" + attachmentId
            width: 160
            height: 140
            padding: Theme.gapSmall
            onClicked: viewer.openFor(attachments.get(index))

            background: Rectangle {
                color: Theme.surface
                border.color: Theme.divider
                radius: Theme.radius
            }
            contentItem: ColumnLayout {
                spacing: 2
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 60
                    color: Theme.background
                    Image {
                        anchors.fill: parent
                        source: card.thumbnailUrl
                        fillMode: Image.PreserveAspectFit
                        asynchronous: true
                        sourceSize.height: 120
                    }
                    Label {
                        anchors.centerIn: parent
                        visible: card.thumbnailUrl.toString() === ""
                        text: card.kind === "signature" ? qsTr("Signature") : qsTr("Photo")
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
                Label {
                    text: card.kind === "signature" ? card.signerName : (card.caption !== "" ? card.caption : card.fileName)
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Rectangle {
                    objectName: "attachmentState_" + card.attachmentId
                    Layout.fillWidth: true
                    Layout.preferredHeight: 20
                    radius: 10
                    color: panel.chipColor(card.uploadState)
                    Rectangle {
                        visible: card.uploadState === "uploading"
                        width: parent.width * card.progress
                        height: parent.height
                        radius: parent.radius
                        color: Qt.lighter(parent.color, 1.4)
                    }
                    Label {
                        anchors.fill: parent
                        anchors.leftMargin: 6
                        anchors.rightMargin: 6
                        verticalAlignment: Text.AlignVCenter
                        text: card.stateText
                        color: "white"
                        font.pixelSize: 11
                        elide: Text.ElideRight
                    }
                }
                Label {
                    objectName: "attachmentChanged_" + card.attachmentId
                    visible: card.changedSinceSigning
                    text: qsTr("Changed after signing")
                    color: Theme.warning
                    font.pixelSize: 11
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "attachmentRetry_" + card.attachmentId
                    visible: card.uploadState === "failed"
                    text: qsTr("Retry")
                    flat: true
                    Layout.preferredHeight: 28
                    font.pixelSize: Theme.fontSmall
                    onClicked: Attachments.retry(card.attachmentId)
                }
            }
        }
    }
}
