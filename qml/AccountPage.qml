// The account page (Accounts.currentId): facts (terms, credit limit, open balance, available
// credit), addresses, contacts (editable offline in ContactDialog), notes (editable offline),
// order history, and the two actions a rep takes from here: a new order and the catalog with this
// account's prices. Wide windows put the lists side by side.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "accountPage"
    title: Accounts.name.length > 0 ? Accounts.name : qsTr("Account")
    background: Rectangle { color: Theme.background }

    readonly property bool wide: width >= 1000

    header: ToolBar {
        Material.background: Theme.surface
        RowLayout {
            anchors.fill: parent
            anchors.rightMargin: Theme.margin
            spacing: Theme.gap
            ToolButton {
                objectName: "accountBackButton"
                text: "\u2190"
                implicitWidth: Theme.touch
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Back")
                onClicked: Nav.back()
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    text: page.title
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontTitle
                    color: Theme.text
                }
                Label {
                    text: [Accounts.code, Accounts.city, Accounts.priceListName].filter(s => s.length > 0).join(" \u00b7 ")
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
            Button {
                objectName: "accountCatalogButton"
                text: qsTr("Catalog with these prices")
                flat: true
                enabled: Accounts.currentId > 0
                onClicked: {
                    Catalog.accountId = Accounts.currentId
                    Nav.go("catalog")
                }
            }
            Button {
                objectName: "newOrderButton"
                text: qsTr("New order")
                implicitHeight: Theme.touch
                // The screen's one call to action, in the accent colour.
                background: Rectangle {
                    radius: Theme.radius
                    color: parent.enabled ? (parent.down ? Qt.darker(Theme.accent, 1.15) : Theme.accent) : Theme.divider
                }
                contentItem: Label {
                    text: parent.text
                    color: Theme.surface
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                enabled: Accounts.currentId > 0
                onClicked: Nav.openOrder(Accounts.currentId)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New order (Ctrl+N)")
            }
        }
    }

    Shortcut {
        sequences: ["Ctrl+N"]
        enabled: page.visible && Accounts.currentId > 0
        onActivated: Nav.openOrder(Accounts.currentId)
    }

    Label {
        anchors.centerIn: parent
        visible: Accounts.currentId === 0
        text: Accounts.errorText.length > 0 ? Accounts.errorText : qsTr("No account selected.")
        color: Theme.textMuted
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        visible: Accounts.currentId > 0
        contentWidth: availableWidth

        GridLayout {
            width: scroll.availableWidth - 2 * Theme.margin
            x: Theme.margin
            y: Theme.margin
            columns: page.wide ? 2 : 1
            columnSpacing: Theme.gapLarge
            rowSpacing: Theme.gapLarge

            Card {
                title: qsTr("Terms and credit")
                Layout.columnSpan: page.wide ? 2 : 1
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.gapLarge
                    Fact { label: qsTr("Terms"); value: Accounts.termsText; objectName: "factTerms" }
                    Fact { label: qsTr("Credit limit"); value: Accounts.creditLimitText; objectName: "factCreditLimit" }
                    Fact { label: qsTr("Open balance"); value: Accounts.openBalanceText; objectName: "factOpenBalance"
                           tone: Accounts.overLimit ? Theme.warning : Theme.text }
                    Fact { label: qsTr("Available credit"); value: Accounts.availableCreditText
                           objectName: "factAvailableCredit"; tone: Accounts.overLimit ? Theme.warning : Theme.ok }
                    Fact { visible: Accounts.onHold; label: qsTr("Status"); value: qsTr("On hold"); tone: Theme.error }
                    Fact { visible: Accounts.taxExempt; label: qsTr("Tax"); value: qsTr("Exempt") }
                }
            }

            Card {
                title: qsTr("Contacts")
                Repeater {
                    id: contactsRepeater
                    model: Accounts.contacts
                    delegate: ItemDelegate {
                        id: contactRow
                        required property int index
                        required property var contactId
                        required property string name
                        required property string role
                        required property string phone
                        required property string email
                        objectName: "contact_" + contactId
                        Layout.fillWidth: true
                        implicitHeight: Theme.rowHeight
                        onClicked: contactDialog.openFor(Accounts.contactAt(index))
                        contentItem: RowLayout {
                            spacing: Theme.gap
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 0
                                Label {
                                    Layout.fillWidth: true
                                    text: contactRow.name + (contactRow.role.length > 0 ? " \u00b7 " + contactRow.role : "")
                                    elide: Text.ElideRight
                                    color: Theme.text
                                    font.pixelSize: Theme.fontBody
                                }
                                Label {
                                    Layout.fillWidth: true
                                    text: [contactRow.phone, contactRow.email].filter(s => s.length > 0).join("   ")
                                    elide: Text.ElideRight
                                    color: Theme.textMuted
                                    font.pixelSize: Theme.fontSmall
                                }
                            }
                            Label { text: qsTr("Edit"); color: Theme.primary; font.pixelSize: Theme.fontSmall }
                        }
                    }
                }
                Label {
                    visible: contactsRepeater.count === 0
                    text: qsTr("No contacts.")
                    color: Theme.textMuted
                }
            }

            Card {
                title: qsTr("Addresses")
                Repeater {
                    model: Accounts.addresses
                    delegate: ColumnLayout {
                        id: addressRow
                        required property var addressId
                        required property string kind
                        required property string text
                        objectName: "address_" + addressId
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            text: addressRow.kind === "billing" ? qsTr("Billing") : qsTr("Shipping")
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textMuted
                        }
                        Label {
                            Layout.fillWidth: true
                            text: addressRow.text
                            wrapMode: Text.Wrap
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                        }
                    }
                }
            }

            Card {
                title: Accounts.notesPending ? qsTr("Notes (waiting to sync)") : qsTr("Notes")
                TextArea {
                    id: notes
                    objectName: "accountNotes"
                    Layout.fillWidth: true
                    Layout.minimumHeight: 3 * Theme.touch
                    wrapMode: TextEdit.Wrap
                    placeholderText: qsTr("Visit notes, delivery instructions ...")
                    text: Accounts.notes
                    selectByMouse: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        objectName: "accountError"
                        visible: Accounts.errorText.length > 0 && !contactDialog.visible
                        text: Accounts.errorText
                        color: Theme.error
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "saveNotesButton"
                        text: qsTr("Save notes")
                        enabled: notes.text !== Accounts.notes
                        onClicked: Accounts.saveNotes(notes.text)
                    }
                }
            }

            Card {
                title: qsTr("Photos (shelves, displays)")
                AttachmentsPanel {
                    objectName: "accountAttachments"
                    title: ""
                    ownerType: "account"
                    ownerId: Accounts.currentId > 0 ? String(Accounts.currentId) : ""
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "accountPhotoButton"
                    text: qsTr("Add photo…")
                    enabled: Accounts.currentId > 0
                    implicitHeight: Theme.touch
                    onClicked: accountPhotoDialog.openFor("account", String(Accounts.currentId), Accounts.currentId)
                }
            }

            Card {
                title: qsTr("Order history")
                ListView {
                    id: history
                    objectName: "accountOrderHistory"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(contentHeight, 6 * Theme.rowHeight)
                    clip: true
                    interactive: contentHeight > height
                    model: Orders.accountHistory
                    delegate: ItemDelegate {
                        id: orderRow
                        required property string orderId
                        required property string orderNumber
                        required property string status
                        required property string statusText
                        required property string totalText
                        required property string submittedText
                        objectName: "accountOrder_" + orderId
                        width: ListView.view.width
                        implicitHeight: Theme.rowHeight
                        onClicked: Nav.openOrderDetail(orderId)
                        contentItem: RowLayout {
                            spacing: Theme.gap
                            Label {
                                Layout.fillWidth: true
                                text: (orderRow.orderNumber.length > 0 ? orderRow.orderNumber : qsTr("Not numbered yet"))
                                      + " \u00b7 " + orderRow.submittedText
                                elide: Text.ElideRight
                                color: Theme.text
                            }
                            Label { text: orderRow.statusText; color: Theme.statusColor(orderRow.status) }
                            Label { text: orderRow.totalText; color: Theme.text }
                        }
                    }
                }
                Label {
                    visible: history.count === 0
                    text: qsTr("No orders yet.")
                    color: Theme.textMuted
                }
            }
        }
    }

    ContactDialog {
        id: contactDialog
    }
    PhotoDialog {
        id: accountPhotoDialog
    }

    // A titled white panel; children go into its column.
    component Card: Pane {
        id: card
        property string title
        default property alias content: column.data
        Layout.fillWidth: true
        Layout.alignment: Qt.AlignTop
        padding: Theme.margin
        background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }
        ColumnLayout {
            id: column
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: Theme.gap
            Label {
                text: card.title
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
        }
    }

    // A labelled value (terms, credit ...).
    component Fact: ColumnLayout {
        id: fact
        property string label
        property string value
        property color tone: Theme.text
        spacing: 0
        Label { text: fact.label; font.pixelSize: Theme.fontSmall; color: Theme.textMuted }
        Label { objectName: fact.objectName + "Value"; text: fact.value; font.pixelSize: Theme.fontLarge; color: fact.tone }
    }
}
