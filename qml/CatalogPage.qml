// Catalog: browse by category, search-as-you-type over SKU, name and barcode, the selected
// account's price with its reason on every product (list prices when no account is chosen), and
// last-known stock with its age. Rows fetch in pages as the list scrolls. Wide windows keep the
// categories in a side list; narrow ones in a popup.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "catalogPage"
    title: qsTr("Catalog")
    background: Rectangle { color: Theme.background }

    readonly property bool wide: width >= 1000

    header: ToolBar {
        Material.background: Theme.surface
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            spacing: Theme.gap
            Label {
                text: page.title
                font.pixelSize: Theme.fontTitle
                color: Theme.text
            }
            SearchField {
                id: search
                objectName: "catalogSearchField"
                Layout.fillWidth: true
                Layout.maximumWidth: 640
                placeholderText: qsTr("SKU, name or barcode")
                text: Catalog.query
                onEdited: (text) => Catalog.query = text
            }
            Button {
                objectName: "categoryButton"
                visible: !page.wide
                flat: true
                text: Catalog.categoryId > 0 && page.currentCategoryName.length > 0 ? page.currentCategoryName
                                                                                  : qsTr("All categories")
                onClicked: categoryPopup.open()
            }
            Label {
                objectName: "productCount"
                text: Catalog.products.totalMatches >= 0
                      ? qsTr("%1 of %2").arg(Catalog.products.totalMatches).arg(Catalog.productCount)
                      : ""
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }
    }

    // The chosen category's name (set when a category row is tapped).
    property string currentCategoryName: ""

    Component.onCompleted: search.forceActiveFocus()

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Whose prices: the account chosen on its page, else list prices.
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
            color: Catalog.accountId > 0 ? Theme.selection : Theme.background
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                Label {
                    objectName: "catalogPriceBasis"
                    Layout.fillWidth: true
                    text: Catalog.accountId > 0 ? qsTr("Prices for %1").arg(Catalog.accountName)
                                                : qsTr("List prices")
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    elide: Text.ElideRight
                }
                Button {
                    objectName: "clearCatalogAccount"
                    visible: Catalog.accountId > 0
                    flat: true
                    text: qsTr("Show list prices")
                    onClicked: Catalog.accountId = 0
                }
                Button {
                    objectName: "catalogOrderButton"
                    visible: Order.hasDraft
                    flat: true
                    text: qsTr("Back to order for %1").arg(Order.accountName)
                    onClicked: Nav.openOrder(Order.accountId)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            CategoryList {
                objectName: "categoryList"
                visible: page.wide
                Layout.preferredWidth: 260
                Layout.fillHeight: true
            }
            Rectangle {
                visible: page.wide
                Layout.preferredWidth: 1
                Layout.fillHeight: true
                color: Theme.divider
            }

            ListView {
                id: products
                objectName: "productList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: Catalog.products
                spacing: 1
                reuseItems: true
                cacheBuffer: 2 * Theme.rowHeight * 10
                ScrollBar.vertical: ScrollBar {}
                delegate: ProductRow {
                    width: ListView.view.width
                    onOpened: (id) => Nav.openProduct(id)
                }
                Label {
                    anchors.centerIn: parent
                    visible: products.count === 0
                    text: Catalog.query.length > 0 ? qsTr("No product matches \u201c%1\u201d.").arg(Catalog.query)
                                                   : qsTr("No products here.")
                    color: Theme.textMuted
                }
            }
        }
    }

    Popup {
        id: categoryPopup
        objectName: "categoryPopup"
        modal: true
        x: page.width - width - Theme.margin
        y: Theme.gap
        width: Math.min(360, page.width - 2 * Theme.margin)
        height: Math.min(page.height - 2 * Theme.gap, 560)
        padding: 0
        CategoryList {
            anchors.fill: parent
            onChosen: categoryPopup.close()
        }
    }

    // One product: name, SKU, category and pack; the price with its reason; stock with its age.
    component ProductRow: ItemDelegate {
        id: row
        required property int index
        required property var productId
        required property string sku
        required property string name
        required property string categoryName
        required property string packLabel
        required property string uom
        required property bool discontinued
        required property string priceText
        required property string priceReason
        required property bool promoted
        required property string stockText
        required property string stockAgeText
        required property bool stockStale
        required property var atp
        signal opened(var id)

        objectName: "product_" + sku
        implicitHeight: Theme.rowHeight + Theme.gap
        background: Rectangle { color: row.down ? Theme.selection : Theme.surface }
        onClicked: opened(productId)

        contentItem: RowLayout {
            spacing: Theme.gapLarge
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    text: row.name + (row.discontinued ? "  " + qsTr("(discontinued)") : "")
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: row.discontinued ? Theme.textMuted : Theme.text
                }
                Label {
                    Layout.fillWidth: true
                    text: [row.sku, row.categoryName, row.packLabel.length > 0 ? row.packLabel + " " + row.uom : row.uom]
                          .filter(s => s.length > 0).join(" \u00b7 ")
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
            ColumnLayout {
                Layout.preferredWidth: page.wide ? 150 : 110
                spacing: 0
                Label {
                    Layout.alignment: Qt.AlignRight
                    text: row.stockText
                    font.pixelSize: Theme.fontSmall
                    color: row.atp > 0 ? Theme.ok : Theme.error
                }
                Label {
                    Layout.alignment: Qt.AlignRight
                    text: row.stockAgeText
                    font.pixelSize: Theme.fontSmall
                    color: row.stockStale ? Theme.warning : Theme.textMuted
                }
            }
            ColumnLayout {
                Layout.preferredWidth: page.wide ? 260 : 170
                Layout.minimumWidth: page.wide ? 260 : 170
                spacing: 0
                Label {
                    objectName: "price_" + row.sku
                    Layout.alignment: Qt.AlignRight
                    text: row.priceText
                    font.pixelSize: Theme.fontLarge
                    color: row.promoted ? Theme.accent : Theme.text
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignRight
                    text: row.priceReason
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textMuted
                }
            }
            Button {
                objectName: "addProduct_" + row.sku
                visible: Order.hasDraft
                enabled: !row.discontinued
                text: qsTr("Add")
                implicitHeight: Theme.touch
                onClicked: Order.addProduct(row.productId)
            }
        }
    }

    // "All categories" and the tree, indented by depth; the current one highlighted.
    component CategoryList: ListView {
        id: categories
        signal chosen()
        clip: true
        model: Catalog.categories
        ScrollBar.vertical: ScrollBar {}
        header: ItemDelegate {
            objectName: "category_all"
            width: ListView.view ? ListView.view.width : 0
            implicitHeight: Theme.touch
            text: qsTr("All categories")
            highlighted: Catalog.categoryId === 0
            onClicked: {
                Catalog.categoryId = 0
                page.currentCategoryName = ""
                categories.chosen()
            }
        }
        delegate: ItemDelegate {
            id: categoryRow
            required property var categoryId
            required property string code
            required property string name
            required property int depth
            objectName: "category_" + code
            width: ListView.view.width
            implicitHeight: Theme.touch
            leftPadding: Theme.margin + depth * Theme.gapLarge
            text: name
            highlighted: Catalog.categoryId === categoryId
            onClicked: {
                Catalog.categoryId = categoryId
                page.currentCategoryName = name
                categories.chosen()
            }
        }
    }
}
