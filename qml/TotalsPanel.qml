// Live totals of the draft: gross, discount, net, tax and total in the order's currency.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Pane {
    id: panel
    objectName: "totalsPanel"
    padding: Theme.margin
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: Theme.gapLarge
        rowSpacing: Theme.gapSmall

        Label { text: qsTr("Gross"); color: Theme.textMuted; font.pixelSize: Theme.fontBody }
        Label { objectName: "totalGross"; text: Order.grossText; font.pixelSize: Theme.fontBody; Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Discount"); color: Theme.textMuted; font.pixelSize: Theme.fontBody }
        Label { objectName: "totalDiscount"; text: Order.discountText; font.pixelSize: Theme.fontBody; Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Net"); color: Theme.textMuted; font.pixelSize: Theme.fontBody }
        Label { objectName: "totalNet"; text: Order.netText; font.pixelSize: Theme.fontBody; Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Tax"); color: Theme.textMuted; font.pixelSize: Theme.fontBody }
        Label { objectName: "totalTax"; text: Order.taxText; font.pixelSize: Theme.fontBody; Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Total (%1)").arg(Order.currency); font.pixelSize: Theme.fontLarge; font.bold: true }
        Label { objectName: "totalTotal"; text: Order.totalText; font.pixelSize: Theme.fontLarge; font.bold: true; Layout.alignment: Qt.AlignRight }
        Label {
            objectName: "totalLines"
            Layout.columnSpan: 2
            text: qsTr("%n line(s)", "", Order.lineCount)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }
}
