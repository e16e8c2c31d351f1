// A product tile of the kiosk grid: name, SKU, list price, stock; tap opens the detail.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: card
    required property var productId
    required property string sku
    required property string name
    required property string listPriceText
    required property string stockText
    signal opened(var productId)

    objectName: "kioskProduct_" + sku

    ItemDelegate {
        anchors.fill: parent
        anchors.margins: Theme.gapSmall
        onClicked: card.opened(card.productId)
        background: Rectangle {
            color: Theme.surface
            border.color: Theme.divider
            radius: Theme.radius
        }
        contentItem: ColumnLayout {
            spacing: Theme.gapSmall
            Label {
                text: card.name
                font.pixelSize: Theme.fontLarge
                color: Theme.text
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: card.sku
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            Item { Layout.fillHeight: true }
            Label {
                text: card.listPriceText
                font.pixelSize: Theme.fontTitle
                color: Theme.primary
            }
            Label {
                text: card.stockText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
