// Leaving the kiosk: the admin PIN first (Kiosk.unlock), then the admin's choices: sync now or
// sign out (refused while leads wait to be sent; Session says why).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: dialog
    objectName: "kioskUnlockDialog"
    title: unlocked ? qsTr("Kiosk administration") : qsTr("Admin PIN")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 420, 420)
    standardButtons: Dialog.NoButton

    property bool unlocked: false

    onOpened: {
        unlocked = false
        pinField.text = ""
        pinField.forceActiveFocus()
    }

    function tryUnlock() {
        if (Kiosk.unlock(pinField.text))
            dialog.unlocked = true
        pinField.text = ""
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        TextField {
            id: pinField
            objectName: "kioskPinField"
            visible: !dialog.unlocked
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhDigitsOnly
            placeholderText: qsTr("PIN")
            font.pixelSize: Theme.fontTitle
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
            onAccepted: dialog.tryUnlock()
        }
        Label {
            objectName: "kioskPinError"
            visible: !dialog.unlocked && Kiosk.errorCode === "kiosk.wrong_pin"
            text: Kiosk.errorText
            color: Theme.error
        }
        Label {
            visible: dialog.unlocked
            text: qsTr("Waiting to send: %1. Last sync: %2").arg(Session.pendingCount).arg(Session.lastSuccessText)
            color: Theme.textMuted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "kioskSignOutError"
            visible: dialog.unlocked && Session.errorText.length > 0
            text: Session.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Item { Layout.fillWidth: true }
            Button {
                text: qsTr("Cancel")
                flat: true
                Layout.preferredHeight: Theme.touch
                onClicked: dialog.close()
            }
            Button {
                objectName: "kioskUnlockButton"
                visible: !dialog.unlocked
                text: qsTr("Unlock")
                highlighted: true
                Layout.preferredHeight: Theme.touch
                onClicked: dialog.tryUnlock()
            }
            Button {
                objectName: "kioskSyncButton"
                visible: dialog.unlocked
                text: qsTr("Sync now")
                Layout.preferredHeight: Theme.touch
                onClicked: Session.syncNow()
            }
            Button {
                objectName: "kioskSignOutButton"
                visible: dialog.unlocked
                text: qsTr("Leave kiosk")
                highlighted: true
                Layout.preferredHeight: Theme.touch
                onClicked: {
                    if (Session.signOut(false))
                        dialog.close()
                }
            }
        }
    }
}
