// The keyboard-first order pad: SKU (or barcode), Tab, quantity, Enter adds the line and returns to
// the SKU field. Paste (button or Ctrl+Shift+V) adds "SKU<tab|,|;>qty" lines from the clipboard and
// shows a summary with the rejected lines and why.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

ColumnLayout {
    id: pad
    objectName: "orderPad"
    spacing: Theme.gapSmall

    property string pasteSummary: ""
    property var pasteRejects: []

    function focusSku() { skuField.forceActiveFocus() }

    function add() {
        if (Order.addBySku(skuField.text, qtyField.text)) {
            skuField.text = ""
            qtyField.text = ""
            skuField.forceActiveFocus()
        } else if (Order.errorCode === "order.bad_quantity") {
            qtyField.forceActiveFocus()
            qtyField.selectAll()
        } else {
            skuField.forceActiveFocus()
            skuField.selectAll()
        }
    }

    function pasteText(text) {
        const result = Order.paste(text)
        pasteRejects = result.rejected
        pasteSummary = qsTr("%1 added, %2 rejected").arg(result.added).arg(result.rejected.length)
        return result
    }

    function pasteClipboard() {
        clipboard.text = ""
        clipboard.paste()
        pasteText(clipboard.text)
    }

    // Reads the clipboard (QML has no clipboard API in Qt 6.4): never shown.
    TextEdit { id: clipboard; visible: false; textFormat: TextEdit.PlainText }

    Shortcut {
        sequence: "Ctrl+Shift+V"
        onActivated: pad.pasteClipboard()
    }

    RowLayout {
        spacing: Theme.gap
        Layout.fillWidth: true

        TextField {
            id: skuField
            objectName: "orderPadSku"
            placeholderText: qsTr("SKU or barcode")
            font.pixelSize: Theme.fontBody
            Layout.preferredWidth: 240
            Layout.preferredHeight: Theme.touch
            KeyNavigation.tab: qtyField
            onAccepted: qtyField.forceActiveFocus()
        }
        TextField {
            id: qtyField
            objectName: "orderPadQty"
            placeholderText: qsTr("Qty")
            font.pixelSize: Theme.fontBody
            inputMethodHints: Qt.ImhDigitsOnly
            Layout.preferredWidth: 100
            Layout.preferredHeight: Theme.touch
            KeyNavigation.backtab: skuField
            onAccepted: pad.add()
        }
        Button {
            objectName: "orderPadAddButton"
            text: qsTr("Add")
            Layout.preferredHeight: Theme.touch
            onClicked: pad.add()
        }
        Button {
            objectName: "pasteButton"
            text: qsTr("Paste lines")
            flat: true
            Layout.preferredHeight: Theme.touch
            onClicked: pad.pasteClipboard()
        }
        Label {
            objectName: "orderPadError"
            text: Order.errorText
            visible: text !== ""
            color: Theme.error
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
    }

    Label {
        objectName: "pasteSummary"
        visible: pad.pasteSummary !== ""
        text: {
            let lines = [pad.pasteSummary]
            for (let i = 0; i < pad.pasteRejects.length && i < 5; ++i) {
                const r = pad.pasteRejects[i]
                lines.push(qsTr("Line %1: %2").arg(r.line).arg(r.reason))
            }
            return lines.join("\n")
        }
        color: pad.pasteRejects.length > 0 ? Theme.warning : Theme.textMuted
        font.pixelSize: Theme.fontSmall
        Layout.fillWidth: true
        wrapMode: Text.Wrap
    }
}
