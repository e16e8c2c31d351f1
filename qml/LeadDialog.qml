// The kiosk visitor's details: name and an email or phone; the wish list goes with them as a lead
// (Kiosk.submitLead queues it; it reaches the server with the next sync).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: dialog
    objectName: "leadDialog"
    title: qsTr("Leave your details")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 560, 560)
    standardButtons: Dialog.NoButton

    signal sent()

    onOpened: {
        nameField.text = ""
        companyField.text = ""
        emailField.text = ""
        phoneField.text = ""
        noteField.text = ""
        nameField.forceActiveFocus()
    }

    function send() {
        if (Kiosk.submitLead(nameField.text, companyField.text, emailField.text, phoneField.text, noteField.text)) {
            dialog.close()
            dialog.sent()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        TextField {
            id: nameField
            objectName: "leadName"
            placeholderText: qsTr("Your name")
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
        }
        TextField {
            id: companyField
            objectName: "leadCompany"
            placeholderText: qsTr("Company (optional)")
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
        }
        TextField {
            id: emailField
            objectName: "leadEmail"
            placeholderText: qsTr("Email")
            inputMethodHints: Qt.ImhEmailCharactersOnly
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
        }
        TextField {
            id: phoneField
            objectName: "leadPhone"
            placeholderText: qsTr("Phone")
            inputMethodHints: Qt.ImhDialableCharactersOnly
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
        }
        TextArea {
            id: noteField
            objectName: "leadNote"
            placeholderText: qsTr("Anything we should know? (optional)")
            wrapMode: TextEdit.Wrap
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch * 2
        }
        Label {
            objectName: "leadError"
            visible: Kiosk.errorText.length > 0
            text: Kiosk.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            Item { Layout.fillWidth: true }
            Button {
                text: qsTr("Cancel")
                flat: true
                Layout.preferredHeight: Theme.touch
                onClicked: dialog.close()
            }
            Button {
                objectName: "submitLeadButton"
                text: qsTr("Send")
                highlighted: true
                Layout.preferredHeight: Theme.touch
                onClicked: dialog.send()
            }
        }
    }

    Shortcut {
        sequences: ["Ctrl+Return", "Ctrl+Enter"]
        enabled: dialog.visible
        onActivated: dialog.send()
    }
}
