// Product detail (Catalog.currentProductId): description, price for the catalog's account with
// its reason and the price list's quantity breaks, pack and minimum order, stock per warehouse
// with its age (stale counts, older than 24 h, in the warning colour), and "Add to order" while
// an order draft is open.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "productPage"
    readonly property var product: Catalog.currentProduct
    readonly property bool wide: width >= 1000
    function field(name) { return product && product[name] !== undefined ? product[name] : "" }

    title: field("name").length > 0 ? field("name") : qsTr("Product")
    background: Rectangle { color: Theme.background }

    header: ToolBar {
        Material.background: Theme.surface
        RowLayout {
            anchors.fill: parent
            anchors.rightMargin: Theme.margin
            spacing: Theme.gap
            ToolButton {
                objectName: "productBackButton"
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
                    text: [page.field("sku"), page.field("categoryName")].filter(s => s.length > 0).join(" \u00b7 ")
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
            Button {
                objectName: "addToOrderButton"
                visible: Order.hasDraft
                enabled: Catalog.currentProductId > 0 && !page.field("discontinued")
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
                text: qsTr("Add to order for %1").arg(Order.accountName)
                onClicked: Order.addProduct(Catalog.currentProductId)
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: Catalog.currentProductId === 0 || !page.product || page.product.productId === undefined
        text: qsTr("This product is not on this device.")
        color: Theme.textMuted
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        visible: page.product && page.product.productId !== undefined
        contentWidth: availableWidth

        GridLayout {
            x: Theme.margin
            y: Theme.margin
            width: scroll.availableWidth - 2 * Theme.margin
            columns: page.wide ? 2 : 1
            columnSpacing: Theme.gapLarge
            rowSpacing: Theme.gapLarge

            Panel {
                ColumnLayout {
                    width: parent.width
                    spacing: Theme.gap
                    Label {
                        objectName: "productPrice"
                        text: page.field("priceText")
                        font.pixelSize: Theme.fontHuge
                        color: page.field("promoted") ? Theme.accent : Theme.text
                    }
                    Label {
                        objectName: "productPriceReason"
                        Layout.fillWidth: true
                        text: page.field("priceReason")
                        wrapMode: Text.Wrap
                        color: Theme.textMuted
                    }
                    Label {
                        visible: page.field("priceSource") !== "list"
                        text: qsTr("List price %1").arg(page.field("listPriceText"))
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                    Label {
                        text: Catalog.accountId > 0 ? qsTr("For %1").arg(Catalog.accountName) : qsTr("List price, no account chosen")
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                    // Quantity breaks of the account's price list.
                    Repeater {
                        model: page.product && page.product.tiers ? page.product.tiers : []
                        delegate: RowLayout {
                            required property var modelData
                            spacing: Theme.gapLarge
                            Label { text: qsTr("From %1").arg(modelData.minQty); color: Theme.text }
                            Label { text: modelData.priceText; color: Theme.text; font.bold: true }
                        }
                    }
                    Label {
                        visible: text.length > 0
                        text: [page.field("packText"), page.field("moqText")].filter(s => s.length > 0).join(" \u00b7 ")
                        color: Theme.warning
                    }
                    Label {
                        text: qsTr("Barcode %1").arg(page.field("barcode"))
                        visible: page.field("barcode").length > 0
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                    Label {
                        objectName: "productDescription"
                        Layout.fillWidth: true
                        text: page.field("description")
                        wrapMode: Text.Wrap
                        color: Theme.text
                    }
                }
            }

            Panel {
                ColumnLayout {
                    width: parent.width
                    spacing: Theme.gap
                    Label {
                        text: qsTr("Stock")
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                        color: Theme.text
                    }
                    Repeater {
                        id: stockRepeater
                        model: Catalog.stock
                        delegate: RowLayout {
                            id: stockRow
                            required property string warehouseCode
                            required property string warehouseName
                            required property var onHand
                            required property var atp
                            required property string ageText
                            required property bool stale
                            objectName: "stock_" + warehouseCode
                            Layout.fillWidth: true
                            Layout.minimumHeight: Theme.touch
                            spacing: Theme.gapLarge
                            Label {
                                Layout.fillWidth: true
                                text: stockRow.warehouseName
                                color: Theme.text
                                elide: Text.ElideRight
                            }
                            Label {
                                text: stockRow.atp > 0 ? qsTr("%1 available").arg(stockRow.atp) : qsTr("None available")
                                color: stockRow.atp > 0 ? Theme.ok : Theme.error
                            }
                            Label {
                                text: qsTr("%1 on hand").arg(stockRow.onHand)
                                color: Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                            }
                            Label {
                                objectName: "stockAge_" + stockRow.warehouseCode
                                text: qsTr("as of %1").arg(stockRow.ageText)
                                color: stockRow.stale ? Theme.warning : Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                    }
                    Label {
                        visible: stockRepeater.count === 0
                        text: qsTr("No stock counts on this device.")
                        color: Theme.textMuted
                    }
                }
            }
        }
    }

    component Panel: Pane {
        Layout.fillWidth: true
        Layout.alignment: Qt.AlignTop
        padding: Theme.margin
        background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.divider }
    }
}
