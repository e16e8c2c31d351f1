// Findings on the order page: an error finding marks the line and disables submit; a warning shows
// and does not.
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
        name: "Findings"
        when: windowShown

        Component { id: pageComponent; OrderPage { width: 1280; height: 800 } }
        property var page: null

        function child(name) {
            const item = findChild(page, name)
            verify(item !== null, "no item " + name)
            return item
        }

        function init() {
            verify(TestData.tune("SKU-0000003", 1, 1, false))
            verify(TestData.tune("SKU-0000002", 6, 1, false))
            verify(TestData.resetDraft())
            page = createTemporaryObject(pageComponent, root)
            verify(page !== null)
            waitForRendering(page)
        }

        function cleanup() {
            TestData.tune("SKU-0000003", 1, 1, false)
        }

        function test_errorFindingDisablesSubmit() {
            verify(Order.addBySku("SKU-0000003", "2"))
            verify(child("submitOrderButton").enabled)
            verify(TestData.tune("SKU-0000003", 1, 1, true)) // discontinued by a sync
            tryVerify(function() { return findChild(page, "finding_product.discontinued_1") !== null })
            verify(!child("submitOrderButton").enabled)
            verify(child("lineFindings_SKU-0000003").visible)
            verify(Order.errorCount >= 1)
            mouseClick(child("submitOrderButton"))
            verify(Order.hasDraft, "a disabled submit submits nothing")
        }

        function test_warningShowsAndDoesNotBlock() {
            verify(Order.addBySku("SKU-0000002", "7")) // not a multiple of the case pack
            tryVerify(function() { return findChild(page, "finding_quantity.not_case_multiple_1") !== null })
            compare(Order.errorCount, 0)
            verify(child("submitOrderButton").enabled)
        }
    }
}
