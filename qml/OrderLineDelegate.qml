// One line of the draft: product, price with its reason, a quantity stepper that honours the case
// pack and MOQ, the line total, the line's findings (an error marks the line), remove.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Rectangle {
    id: line
    required property int lineNo
    required property string sku
    required property string name
    required property var quantity
    required property var casePack
    required property var moq
    required property string uom
    required property string unitPriceText
    required property string priceReason
    required property string totalText
    required property bool hasError
    required property string findingText

    objectName: "orderLine_" + sku
    width: ListView.view ? ListView.view.width : implicitWidth
    implicitHeight: Math.max(Theme.rowHeight, content.implicitHeight + 2 * Theme.gap)
    color: hasError ? Qt.lighter(Theme.error, 1.9) : Theme.surface
    border.color: hasError ? Theme.error : "transparent"

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label { text: line.name; font.pixelSize: Theme.fontBody; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
            Label {
                text: qsTr("%1 · pack %2 · MOQ %3 %4").arg(line.sku).arg(line.casePack).arg(line.moq).arg(line.uom)
                font.pixelSize: Theme.fontSmall; color: Theme.textMuted
            }
            Label {
                objectName: "lineFindings_" + line.sku
                visible: line.findingText !== ""
                text: line.findingText
                color: line.hasError ? Theme.error : Theme.warning
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        ColumnLayout {
            spacing: 0
            Layout.preferredWidth: 180
            Label { objectName: "linePrice_" + line.sku; text: line.unitPriceText; font.pixelSize: Theme.fontBody; Layout.alignment: Qt.AlignRight }
            Label {
                text: line.priceReason; font.pixelSize: Theme.fontSmall; color: Theme.textMuted
                elide: Text.ElideRight; Layout.fillWidth: true; horizontalAlignment: Text.AlignRight
            }
        }
        RoundButton {
            objectName: "stepDown_" + line.sku
            text: "−"
            implicitWidth: Theme.touch; implicitHeight: Theme.touch
            onClicked: Order.stepDown(line.lineNo)
        }
        TextField {
            objectName: "lineQty_" + line.sku
            text: String(line.quantity)
            horizontalAlignment: Text.AlignHCenter
            inputMethodHints: Qt.ImhDigitsOnly
            Layout.preferredWidth: 80
            Layout.preferredHeight: Theme.touch
            onEditingFinished: {
                const q = parseInt(text, 10)
                if (isNaN(q) || String(q) !== text.trim() || !Order.setQuantity(line.lineNo, q))
                    text = String(line.quantity)
            }
        }
        RoundButton {
            objectName: "stepUp_" + line.sku
            text: "+"
            implicitWidth: Theme.touch; implicitHeight: Theme.touch
            onClicked: Order.stepUp(line.lineNo)
        }
        Label {
            objectName: "lineTotal_" + line.sku
            text: line.totalText
            font.pixelSize: Theme.fontBody
            horizontalAlignment: Text.AlignRight
            Layout.preferredWidth: 110
        }
        ToolButton {
            objectName: "removeLine_" + line.sku
            text: "✕"
            implicitWidth: Theme.touch; implicitHeight: Theme.touch
            onClicked: Order.removeLine(line.lineNo)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Remove line")
        }
    }
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.divider }
}
