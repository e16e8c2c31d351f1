// Add a photo to an order or an account: pick a picture file (any machine) or take one with the
// camera (only when Attachments.cameraAvailable: the camera screen is loaded through a Loader, so
// a machine without a camera never loads Qt Multimedia), a caption, and the size and quality the
// photo is stored and sent at (Settings).
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: dialog
    objectName: "photoDialog"
    title: qsTr("Add a photo")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, (parent ? parent.width : 640) - 2 * Theme.margin)
    padding: Theme.margin
    // Drawn here rather than by the style's elevation layer (which the software renderer of
    // headless runs leaves out).
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }
    Overlay.modal: Rectangle { color: "#80000000" }
    closePolicy: Popup.CloseOnEscape

    property string ownerType: "order"
    property string ownerId: ""
    property var accountId: 0
    property url file: ""
    property string errorText: ""

    signal added(string attachmentId)

    function openFor(type, id, account) {
        ownerType = type
        ownerId = id
        accountId = account
        file = ""
        errorText = ""
        captionField.text = ""
        camera.active = false
        open()
    }
    function addFile() {
        const id = Attachments.addPhotoFromFile(file, ownerType, ownerId, accountId, captionField.text)
        finish(id)
    }
    function addImage(image) {
        const id = Attachments.addPhotoFromImage(image, ownerType, ownerId, accountId, captionField.text)
        camera.active = false
        finish(id)
    }
    function finish(id) {
        if (id === "") {
            errorText = Attachments.errorText
            return
        }
        errorText = ""
        added(id)
        close()
    }

    FileDialog {
        id: picker
        title: qsTr("Choose a photo")
        nameFilters: [qsTr("Pictures (*.jpg *.jpeg *.png *.heic *.webp)"), qsTr("All files (*)")]
        onAccepted: dialog.file = selectedFile
    }

    contentItem: ColumnLayout {
        spacing: Theme.gap
        RowLayout {
            spacing: Theme.gap
            Layout.fillWidth: true
            Button {
                objectName: "photoChooseButton"
                text: qsTr("Choose file…")
                implicitHeight: Theme.touch
                onClicked: picker.open()
            }
            Button {
                objectName: "photoCameraButton"
                visible: Attachments.cameraAvailable
                text: qsTr("Take photo")
                implicitHeight: Theme.touch
                onClicked: camera.active = true
            }
            Label {
                objectName: "photoFileName"
                text: dialog.file.toString() === "" ? qsTr("No file chosen")
                                                    : dialog.file.toString().replace(/^.*[\\/]/, "")
                color: Theme.textMuted
                elide: Text.ElideMiddle
                Layout.fillWidth: true
            }
        }
        Loader {
            id: camera
            objectName: "cameraLoader"
            active: false
            visible: active
            Layout.fillWidth: true
            Layout.preferredHeight: active ? 320 : 0
            source: "CameraCapture.qml"
            onLoaded: item.captured.connect(dialog.addImage)
        }
        TextField {
            id: captionField
            objectName: "photoCaptionField"
            placeholderText: qsTr("Caption (shelf after restock, damaged case …)")
            maximumLength: 500
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            selectByMouse: true
        }
        Label {
            objectName: "photoSizeHint"
            text: Attachments.photoMaxEdge > 0
                  ? qsTr("Stored and sent at most %1 px on the longest edge, JPEG quality %2 (Settings).")
                        .arg(Attachments.photoMaxEdge).arg(Attachments.photoQuality)
                  : qsTr("Stored and sent at the original size (Settings).")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "photoError"
            visible: dialog.errorText !== ""
            text: dialog.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    footer: Pane {
        padding: Theme.gap
        background: null
        RowLayout {
            anchors.right: parent.right
            spacing: Theme.gap
            Button {
                objectName: "photoCancelButton"
                text: qsTr("Cancel")
                flat: true
                implicitHeight: Theme.touch
                onClicked: dialog.reject()
            }
            Button {
                objectName: "photoAddButton"
                text: qsTr("Add photo")
                highlighted: true
                enabled: dialog.file.toString() !== ""
                implicitHeight: Theme.touch
                onClicked: dialog.addFile()
            }
        }
    }
}
