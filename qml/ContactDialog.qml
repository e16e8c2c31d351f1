// Edit one contact offline: name, role, phone, e-mail. Saving writes the change and its outbox row
// in one transaction (Accounts.editContact); bad input keeps the dialog open with the reason and
// changes nothing. openFor(Accounts.contactAt(row)) fills it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Dialog {
    id: dialog
    objectName: "contactDialog"
    title: qsTr("Edit contact")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(520, (parent ? parent.width : 520) - 2 * Theme.margin)
    padding: Theme.margin
    closePolicy: Popup.CloseOnEscape

    property var contactId: 0
    property string errorText: ""

    function openFor(contact) {
        if (!contact || !contact.contactId)
            return
        contactId = contact.contactId
        nameField.text = contact.name
        roleField.text = contact.role
        phoneField.text = contact.phone
        emailField.text = contact.email
        errorText = ""
        open()
        nameField.forceActiveFocus()
    }

    function save() {
        if (Accounts.editContact(contactId, { name: nameField.text, role: roleField.text,
                                              phone: phoneField.text, email: emailField.text })) {
            errorText = ""
            close()
        } else {
            errorText = Accounts.errorText
        }
    }

    contentItem: GridLayout {
        columns: 2
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap

        Label { text: qsTr("Name"); color: Theme.textMuted }
        TextField {
            id: nameField
            objectName: "contactNameField"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            selectByMouse: true
            onAccepted: dialog.save()
        }
        Label { text: qsTr("Role"); color: Theme.textMuted }
        TextField {
            id: roleField
            objectName: "contactRoleField"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            placeholderText: qsTr("Buyer, accounts ...")
            selectByMouse: true
            onAccepted: dialog.save()
        }
        Label { text: qsTr("Phone"); color: Theme.textMuted }
        TextField {
            id: phoneField
            objectName: "contactPhoneField"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            inputMethodHints: Qt.ImhDialableCharactersOnly
            selectByMouse: true
            onAccepted: dialog.save()
        }
        Label { text: qsTr("E-mail"); color: Theme.textMuted }
        TextField {
            id: emailField
            objectName: "contactEmailField"
            Layout.fillWidth: true
            implicitHeight: Theme.touch
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            selectByMouse: true
            onAccepted: dialog.save()
        }
        Label {
            objectName: "contactError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: dialog.errorText.length > 0
            text: dialog.errorText
            color: Theme.error
            wrapMode: Text.Wrap
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            text: qsTr("Saved on this device at once; sent to the office with the next sync.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "contactCancelButton"
            text: qsTr("Cancel")
            flat: true
            implicitHeight: Theme.touch
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
        Button {
            objectName: "contactSaveButton"
            text: qsTr("Save")
            highlighted: true
            implicitHeight: Theme.touch
            DialogButtonBox.buttonRole: DialogButtonBox.ApplyRole
            onClicked: dialog.save()
        }
    }
    onRejected: errorText = ""
}
