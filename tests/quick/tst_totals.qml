// The totals panel shows the controller's totals, which equal the domain's, and follows changes.
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
        name: "Totals"
        when: windowShown

        Component { id: pageComponent; OrderPage { width: 1280; height: 800 } }
        property var page: null

        function child(name) {
            const item = findChild(page, name)
            verify(item !== null, "no item " + name)
            return item
        }

        function init() {
            verify(TestData.tune("SKU-0000001", 1, 1, false))
            verify(TestData.tune("SKU-0000003", 1, 1, false))
            verify(TestData.resetDraft())
            page = createTemporaryObject(pageComponent, root)
            verify(page !== null)
            waitForRendering(page)
        }

        function test_totalsEqualTheControllerAndTheDomain() {
            verify(Order.addBySku("SKU-0000001", "3"))
            verify(Order.addBySku("SKU-0000003", "7"))
            compare(child("totalGross").text, Order.grossText)
            compare(child("totalDiscount").text, Order.discountText)
            compare(child("totalNet").text, Order.netText)
            compare(child("totalTax").text, Order.taxText)
            compare(child("totalTotal").text, Order.totalText)
            compare(child("totalTotal").text, TestData.domainTotalText())
            verify(Order.totalMinor > 0)
        }

        function test_totalsFollowAQuantityChange() {
            verify(Order.addBySku("SKU-0000001", "2"))
            const before = child("totalTotal").text
            tryVerify(function() { return findChild(page, "stepUp_SKU-0000001") !== null })
            mouseClick(child("stepUp_SKU-0000001"))
            tryVerify(function() { return child("totalTotal").text !== before })
            compare(child("totalTotal").text, Order.totalText)
            compare(child("totalTotal").text, TestData.domainTotalText())
        }

        function test_emptyDraftTotalsAreZero() {
            compare(Order.totalMinor, 0)
            compare(child("totalTotal").text, Order.totalText)
            verify(!child("submitOrderButton").enabled)
        }
    }
}
