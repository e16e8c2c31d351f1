// One attachment: the whole image (the local file, the download cache, or downloaded now from
// the server), caption, who signed and both times (this device's and the server's receipt),
// where it was taken, and for a signature whether the order changed after signing.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: viewer
    objectName: "attachmentViewer"
    modal: true
    parent: Overlay.overlay // declared inside a small panel: size against the window
    anchors.centerIn: Overlay.overlay
    width: Math.min(760, (parent ? parent.width : 760) - 2 * Theme.margin)
    height: Math.min(640, (parent ? parent.height : 640) - 2 * Theme.margin)
    padding: Theme.margin
    // Drawn here rather than by the style's elevation layer (which the software renderer of
    // headless runs leaves out).
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }
    Overlay.modal: Rectangle { color: "#80000000" }
    standardButtons: Dialog.Close
    title: entry.kind === "signature" ? qsTr("Signature") : qsTr("Photo")

    property var entry: ({})
    property url source: ""
    property string loadError: ""

    function openFor(row) {
        entry = row
        loadError = ""
        reload()
        open()
    }
    function reload() {
        if (!entry.attachmentId)
            return
        source = Attachments.imageUrl(entry.attachmentId)
        loadError = source.toString() === "" && Attachments.errorCode !== "" ? Attachments.errorText : ""
    }

    Connections {
        target: Attachments
        function onAttachmentChanged(id) {
            if (viewer.visible && id === viewer.entry.attachmentId)
                viewer.reload()
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.gap
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 240
            color: Theme.background
            Image {
                objectName: "attachmentImage"
                anchors.fill: parent
                source: viewer.source
                fillMode: Image.PreserveAspectFit
                asynchronous: true
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: viewer.visible && viewer.source.toString() === "" && viewer.loadError === ""
                visible: running
            }
            Label {
                anchors.centerIn: parent
                visible: viewer.loadError !== ""
                text: viewer.loadError
                color: Theme.error
            }
        }
        Label {
            objectName: "attachmentChangedWarning"
            visible: entry.changedSinceSigning === true
            text: qsTr("The order changed after it was signed: lines or totals differ from what the customer signed.")
            color: Theme.warning
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            visible: (entry.caption || "") !== ""
            text: entry.caption || ""
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            visible: entry.kind === "signature"
            text: qsTr("Signed by %1%2").arg(entry.signerName || "").arg(entry.signerRole ? " (" + entry.signerRole + ")" : "")
            font.pixelSize: Theme.fontBody
        }
        Label {
            objectName: "attachmentTimes"
            text: qsTr("Taken %1 on this device").arg(entry.signedAtText || "")
                  + (entry.receivedAtText ? qsTr(" · received by the server %1").arg(entry.receivedAtText) : "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            visible: (entry.locationText || "") !== ""
            text: qsTr("Position %1").arg(entry.locationText || "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Label {
            text: (entry.stateText || "") + (entry.sizeText ? " · " + entry.sizeText : "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }
}
