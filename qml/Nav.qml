// Navigation for every screen: Main.qml sets `stack` (the StackView) and `rootScreen` handling;
// pages call these functions instead of knowing about each other. Screen names: "today",
// "accounts", "catalog", "orders", "conflicts", "settings" (top level, one rail entry each), and the
// pushed pages below.
pragma Singleton
import QtQuick
import Outpost.App

QtObject {
    property var stack: null          // StackView, set by Main.qml
    property string screen: "today"   // the current top-level screen
    signal screenRequested(string name)

    function go(name) { screen = name; screenRequested(name) }
    function back() { if (stack && stack.depth > 1) stack.pop() }

    function openAccount(accountId) {
        Accounts.currentId = accountId
        stack.push(Qt.resolvedUrl("AccountPage.qml"))
    }
    function openOrder(accountId) {          // the account's draft (created if none)
        if (Order.openFor(accountId))
            stack.push(Qt.resolvedUrl("OrderPage.qml"))
    }
    function openOrderDetail(orderId) {
        Orders.currentId = orderId
        stack.push(Qt.resolvedUrl("OrderDetailPage.qml"))
    }
    function openProduct(productId) {
        Catalog.currentProductId = productId
        stack.push(Qt.resolvedUrl("ProductPage.qml"))
    }
}
