// The order pad on the real OrderPage: type a SKU, Tab, a quantity, Enter -> a line with the
// domain's price; unknown SKU and bad quantity say so inline and add nothing; paste; steppers by
// case pack. Items are found by objectName only.
import QtQuick
import QtTest
import Outpost.App
import Outpost.Ui
import Outpost.Test

// TestCase itself is invisible: the page lives in the visible root item.
Item {
    id: root
    width: 1280
    height: 800

    TestCase {
        id: tc
        name: "OrderPad"
        when: windowShown

        Component { id: pageComponent; OrderPage { width: 1280; height: 800 } }
        property var page: null

        function typeText(text) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }
        function child(name) {
            const item = findChild(page, name)
            verify(item !== null, "no item " + name)
            return item
        }

        function init() {
            verify(TestData.tune("SKU-0000001", 1, 1, false))
            verify(TestData.tune("SKU-0000002", 6, 12, false))
            verify(TestData.resetDraft())
            page = createTemporaryObject(pageComponent, root)
            verify(page !== null)
            waitForRendering(page)
        }

        function test_skuTabQuantityEnterAddsALine() {
            const sku = child("orderPadSku")
            sku.forceActiveFocus()
            typeText("SKU-0000001")
            keyClick(Qt.Key_Tab)
            verify(child("orderPadQty").activeFocus)
            typeText("5")
            keyClick(Qt.Key_Return)
            compare(Order.lineCount, 1)
            tryVerify(function() { return findChild(page, "orderLine_SKU-0000001") !== null })
            compare(child("linePrice_SKU-0000001").text, TestData.domainUnitPriceText("SKU-0000001", 5))
            compare(child("lineQty_SKU-0000001").text, "5")
            verify(sku.activeFocus, "focus returns to the SKU field")
            compare(sku.text, "")
        }

        function test_unknownSkuSaysSoAndAddsNothing() {
            const sku = child("orderPadSku")
            sku.forceActiveFocus()
            typeText("NOPE-123")
            keyClick(Qt.Key_Tab)
            typeText("3")
            keyClick(Qt.Key_Return)
            compare(Order.lineCount, 0)
            const error = child("orderPadError")
            verify(error.visible)
            verify(error.text.indexOf("NOPE-123") >= 0, error.text)
            compare(sku.text, "NOPE-123")
        }

        function test_badQuantityKeepsFocusOnQuantity() {
            child("orderPadSku").forceActiveFocus()
            typeText("SKU-0000001")
            keyClick(Qt.Key_Tab)
            typeText("abc")
            keyClick(Qt.Key_Return)
            compare(Order.lineCount, 0)
            compare(Order.errorCode, "order.bad_quantity")
            verify(child("orderPadQty").activeFocus)
        }

        function test_pasteAddsGoodLinesAndListsRejects() {
            const result = child("orderPad").pasteText("SKU\tQty\nSKU-0000001\t4\nNOPE,2\nSKU-0000002;12\n")
            compare(result.added, 2)
            compare(result.rejected.length, 1)
            compare(Order.lineCount, 2)
            const summary = child("pasteSummary")
            verify(summary.visible)
            verify(summary.text.indexOf("2 added, 1 rejected") === 0, summary.text)
            verify(summary.text.indexOf("Line 3") >= 0, summary.text)
        }

        function test_steppersFollowTheCasePack() {
            verify(Order.addBySku("SKU-0000002", "12"))
            tryVerify(function() { return findChild(page, "stepUp_SKU-0000002") !== null })
            mouseClick(child("stepUp_SKU-0000002"))
            tryCompare(child("lineQty_SKU-0000002"), "text", "18")
            mouseClick(child("stepDown_SKU-0000002"))
            tryCompare(child("lineQty_SKU-0000002"), "text", "12")
            mouseClick(child("stepDown_SKU-0000002")) // at the MOQ: stays
            tryCompare(child("lineQty_SKU-0000002"), "text", "12")
            compare(Order.lineCount, 1)
        }
    }
}
