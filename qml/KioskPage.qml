// The showroom kiosk: full screen, list prices only, no account data and no way to it. Big search,
// category chips, a product grid with list price and stock, a detail popup, the wish list drawer
// and the lead form. A long press in the top-left corner asks for the admin PIN.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Outpost.App

Page {
    id: page
    objectName: "kioskPage"
    title: qsTr("Showroom")
    background: Rectangle { color: Theme.background }

    property var detail: ({})

    function openDetail(productId) {
        page.detail = Catalog.productDetails(productId)
        detailQty.value = 1
        detailPopup.open()
    }

    Component.onCompleted: Catalog.accountId = 0

    Shortcut {
        sequences: [StandardKey.Find, "Ctrl+F"]
        onActivated: search.forceActiveFocus()
    }
    Shortcut {
        sequences: ["Ctrl+L"]
        onActivated: wishDrawer.open()
    }

    header: ToolBar {
        height: Theme.touch + 2 * Theme.gap
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            spacing: Theme.gapLarge
            Label {
                text: page.title
                font.pixelSize: Theme.fontTitle
                color: Theme.text
            }
            TextField {
                id: search
                objectName: "kioskSearchField"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                font.pixelSize: Theme.fontLarge
                placeholderText: qsTr("Search products, SKU or barcode")
                text: Catalog.query
                onTextEdited: Catalog.query = text
            }
            Button {
                objectName: "kioskWishListButton"
                text: qsTr("Wish list (%1)").arg(Kiosk.itemCount)
                highlighted: true
                font.pixelSize: Theme.fontLarge
                Layout.preferredHeight: Theme.touch
                onClicked: wishDrawer.open()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        ListView {
            id: chips
            objectName: "kioskCategories"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
            orientation: ListView.Horizontal
            spacing: Theme.gap
            clip: true
            model: Catalog.categories
            header: Button {
                objectName: "kioskCategory_0"
                text: qsTr("All")
                checkable: true
                checked: Catalog.categoryId === 0
                height: Theme.touch
                onClicked: Catalog.categoryId = 0
            }
            delegate: Button {
                required property var categoryId
                required property string name
                required property int depth
                objectName: "kioskCategory_" + categoryId
                visible: depth === 0
                width: visible ? implicitWidth : 0
                text: name
                checkable: true
                checked: Catalog.categoryId === categoryId
                height: Theme.touch
                onClicked: Catalog.categoryId = categoryId
            }
        }

        GridView {
            id: grid
            objectName: "kioskProductGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            readonly property int columns: Math.max(2, Math.floor(width / 260))
            cellWidth: width / columns
            cellHeight: 180
            model: Catalog.products
            delegate: KioskProductCard {
                width: GridView.view.cellWidth
                height: GridView.view.cellHeight
                onOpened: (productId) => page.openDetail(productId)
            }
            ScrollBar.vertical: ScrollBar {}
        }

        Label {
            visible: grid.count === 0
            text: qsTr("No products match your search.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontLarge
            Layout.alignment: Qt.AlignHCenter
        }
    }

    // Hidden admin corner: a long press asks for the PIN.
    MouseArea {
        objectName: "kioskAdminCorner"
        width: Theme.touch
        height: Theme.touch
        anchors.left: parent.left
        anchors.top: parent.top
        pressAndHoldInterval: 2000
        onPressAndHold: unlockDialog.open()
    }

    Popup {
        id: detailPopup
        objectName: "kioskProductPopup"
        modal: true
        anchors.centerIn: Overlay.overlay
        width: Math.min(page.width - 2 * Theme.margin, 640)
        padding: Theme.gapLarge
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.gap
            Label {
                text: page.detail.name !== undefined ? page.detail.name : ""
                font.pixelSize: Theme.fontTitle
                color: Theme.text
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: page.detail.sku !== undefined ? page.detail.sku : ""
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
            Label {
                text: page.detail.description !== undefined ? page.detail.description : ""
                visible: text.length > 0
                color: Theme.text
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                text: page.detail.listPriceText !== undefined ? page.detail.listPriceText : ""
                font.pixelSize: Theme.fontHuge
                color: Theme.primary
            }
            Label {
                text: page.detail.stockText !== undefined ? page.detail.stockText : ""
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                SpinBox {
                    id: detailQty
                    objectName: "kioskDetailQuantity"
                    from: 1
                    to: 9999
                    editable: true
                    Layout.preferredHeight: Theme.touch
                }
                Item { Layout.fillWidth: true }
                Button {
                    text: qsTr("Close")
                    flat: true
                    Layout.preferredHeight: Theme.touch
                    onClicked: detailPopup.close()
                }
                Button {
                    objectName: "kioskAddToWishList"
                    text: qsTr("Add to wish list")
                    highlighted: true
                    Layout.preferredHeight: Theme.touch
                    onClicked: {
                        if (page.detail.productId !== undefined && Kiosk.add(page.detail.productId, detailQty.value))
                            detailPopup.close()
                    }
                }
            }
        }
    }

    Drawer {
        id: wishDrawer
        objectName: "kioskWishListDrawer"
        edge: Qt.RightEdge
        width: Math.min(page.width * 0.45, 520)
        height: page.height
        KioskWishList {
            anchors.fill: parent
            onSendRequested: {
                wishDrawer.close()
                leadDialog.open()
            }
        }
    }

    LeadDialog {
        id: leadDialog
        onSent: thanks.open()
    }

    KioskUnlockDialog {
        id: unlockDialog
    }

    Popup {
        id: thanks
        objectName: "kioskThanks"
        anchors.centerIn: Overlay.overlay
        padding: Theme.gapLarge
        Label {
            text: qsTr("Thank you! We will be in touch.")
            font.pixelSize: Theme.fontTitle
            color: Theme.ok
        }
    }
}
