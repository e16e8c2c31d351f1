// The customer signs the order as it is now: who signs (name required, role), the total being
// signed, the pad. Accept stores the signature with the order's content hash
// (Attachments.addSignature); a later change to the order shows as "changed after signing".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: dialog
    objectName: "signatureDialog"
    title: qsTr("Customer signature")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(680, (parent ? parent.width : 680) - 2 * Theme.margin)
    padding: Theme.margin
    // Drawn here rather than by the style's elevation layer (which the software renderer of
    // headless runs leaves out).
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }
    Overlay.modal: Rectangle { color: "#80000000" }
    closePolicy: Popup.CloseOnEscape

    property string orderId: ""
    property string totalText: ""
    property string errorText: ""
    readonly property bool canAccept: nameField.text.trim().length > 0 && !pad.isEmpty
    readonly property alias pad: pad

    signal signed(string attachmentId)

    function openFor(order, total) {
        orderId = order
        totalText = total
        errorText = ""
        pad.clear()
        open()
        nameField.forceActiveFocus()
    }

    function sign() {
        if (!canAccept)
            return
        const id = Attachments.addSignature(orderId, pad.strokes, nameField.text, roleField.text,
                                            Math.round(pad.width), Math.round(pad.height))
        if (id === "") {
            errorText = Attachments.errorText
            return
        }
        errorText = ""
        nameField.text = ""
        roleField.text = ""
        signed(id)
        close()
    }

    contentItem: ColumnLayout {
        spacing: Theme.gap
        Label {
            objectName: "signatureTotal"
            text: qsTr("Signing for an order of %1").arg(dialog.totalText)
            font.pixelSize: Theme.fontLarge
            Layout.fillWidth: true
            elide: Text.ElideRight
        }
        RowLayout {
            spacing: Theme.gap
            Layout.fillWidth: true
            TextField {
                id: nameField
                objectName: "signerNameField"
                placeholderText: qsTr("Name of who signs (required)")
                Layout.fillWidth: true
                implicitHeight: Theme.touch
                selectByMouse: true
            }
            TextField {
                id: roleField
                objectName: "signerRoleField"
                placeholderText: qsTr("Role (buyer, driver ...)")
                Layout.preferredWidth: 200
                implicitHeight: Theme.touch
                selectByMouse: true
            }
        }
        SignaturePad {
            id: pad
            Layout.fillWidth: true
            Layout.preferredHeight: 220
            Button {
                objectName: "signatureClearButton"
                anchors.right: parent.right
                anchors.top: parent.top
                text: qsTr("Clear")
                flat: true
                enabled: !pad.isEmpty
                implicitHeight: Theme.touch
                onClicked: pad.clear()
            }
        }
        Label {
            objectName: "signatureError"
            visible: dialog.errorText !== ""
            text: dialog.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Kept on this device with the order's lines and totals; sent when there is a connection.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
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
                objectName: "signatureCancelButton"
                text: qsTr("Cancel")
                flat: true
                implicitHeight: Theme.touch
                onClicked: dialog.reject()
            }
            Button {
                objectName: "signatureAcceptButton"
                text: qsTr("Accept")
                highlighted: true
                enabled: dialog.canAccept
                implicitHeight: Theme.touch
                onClicked: dialog.sign()
            }
        }
    }
}
