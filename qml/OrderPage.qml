// Order capture for one account: the order pad, the lines, live totals and findings, reference and
// note, submit (Ctrl+Enter) into the outbox. Saved on every change: a crash loses nothing.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "orderPage"
    title: qsTr("Order · %1").arg(Order.accountName)
    readonly property bool wide: width >= 1100

    function submit() {
        if (Order.canSubmit)
            Order.submit()
    }

    Component.onCompleted: pad.focusSku()

    Connections {
        target: Order
        function onSubmitted(orderId) {
            if (Nav.stack) {
                Nav.back()
                Nav.openOrderDetail(orderId)
            }
        }
    }

    Shortcut { sequences: ["Ctrl+Return", "Ctrl+Enter"]; onActivated: page.submit() }
    Shortcut { sequence: "Ctrl+F"; onActivated: pad.focusSku() }
    Shortcut { sequence: "Esc"; onActivated: Nav.back() }

    background: Rectangle { color: Theme.background }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.gap
            anchors.rightMargin: Theme.gap
            ToolButton {
                objectName: "orderBackButton"
                text: "‹"
                implicitWidth: Theme.touch; implicitHeight: Theme.touch
                onClicked: Nav.back()
            }
            Label { text: page.title; font.pixelSize: Theme.fontTitle; elide: Text.ElideRight; Layout.fillWidth: true }
            Label {
                objectName: "orderStatus"
                text: Order.statusText
                visible: text !== ""
                font.pixelSize: Theme.fontSmall // toolbar foreground: readable on the header colour
            }
            Button {
                objectName: "signatureButton"
                text: qsTr("Signature")
                flat: true
                enabled: Order.hasDraft && Order.lineCount > 0
                Layout.preferredHeight: Theme.touch
                onClicked: signatureDialog.openFor(Order.orderId, Order.totalText)
            }
            Button {
                objectName: "photoButton"
                text: qsTr("Photo")
                flat: true
                enabled: Order.hasDraft
                Layout.preferredHeight: Theme.touch
                onClicked: photoDialog.openFor("order", Order.orderId, Order.accountId)
            }
            Button {
                objectName: "discardOrderButton"
                text: qsTr("Discard")
                flat: true
                enabled: Order.hasDraft
                Layout.preferredHeight: Theme.touch
                onClicked: discardDialog.open()
            }
        }
    }

    SignatureDialog { id: signatureDialog }
    PhotoDialog { id: photoDialog }

    Dialog {
        id: discardDialog
        objectName: "discardDialog"
        title: qsTr("Discard this order?")
        standardButtons: Dialog.Yes | Dialog.No
        anchors.centerIn: parent
        modal: true
        onAccepted: if (Order.discard()) Nav.back()
    }

    GridLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        columns: page.wide ? 2 : 1
        columnSpacing: Theme.gapLarge
        rowSpacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            OrderPad { id: pad; Layout.fillWidth: true }

            ListView {
                id: lines
                objectName: "orderLines"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: Order.lines
                delegate: OrderLineDelegate {}
                ScrollBar.vertical: ScrollBar {}
                Label {
                    anchors.centerIn: parent
                    visible: lines.count === 0
                    text: qsTr("No lines yet: type a SKU above, paste lines, or add from the catalog.")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontBody
                }
            }
        }

        ColumnLayout {
            Layout.preferredWidth: page.wide ? 360 : -1
            Layout.fillWidth: !page.wide
            Layout.fillHeight: page.wide
            Layout.maximumHeight: page.wide ? -1 : page.height / 2
            spacing: Theme.gap

            TotalsPanel { Layout.fillWidth: true }

            FindingsList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: Math.min(contentHeight, 80)
            }

            // Signatures and photos wait for a connection on their own: submit never waits for them.
            AttachmentsPanel {
                objectName: "orderAttachments"
                ownerType: "order"
                ownerId: Order.orderId
                visible: Order.hasDraft
                Layout.fillWidth: true
            }

            TextField {
                objectName: "customerRefField"
                placeholderText: qsTr("Customer reference (PO number)")
                text: Order.customerRef
                enabled: Order.hasDraft
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                onEditingFinished: Order.customerRef = text
            }
            TextField {
                objectName: "orderNoteField"
                placeholderText: qsTr("Note for the office")
                text: Order.note
                enabled: Order.hasDraft
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                onEditingFinished: Order.note = text
            }
            Label {
                objectName: "submitHint"
                visible: Order.lineCount > 0
                text: Order.errorCount > 0 ? qsTr("Fix %n error(s) to submit", "", Order.errorCount)
                    : Order.approvalCount > 0 ? qsTr("Will be held for approval")
                    : qsTr("Ready to submit (Ctrl+Enter)")
                color: Order.errorCount > 0 ? Theme.error : Order.approvalCount > 0 ? Theme.warning : Theme.ok
                font.pixelSize: Theme.fontSmall
            }
            Button {
                objectName: "submitOrderButton"
                text: qsTr("Submit order")
                highlighted: true
                enabled: Order.canSubmit
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                onClicked: page.submit()
            }
        }
    }
}
