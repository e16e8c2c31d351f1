// The window: sign-in when nobody is signed in; the kiosk page alone (full screen) for a kiosk;
// otherwise the shell: a navigation rail, the status banner and one StackView (Nav.stack).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    minimumWidth: 800
    minimumHeight: 560
    visible: true
    title: Session.kioskMode ? qsTr("Outpost showroom") : qsTr("Outpost")
    color: Theme.background

    Material.theme: Material.Light
    // Light headers everywhere (page titles in Theme.text); the brand colour marks the rail's
    // current screen and the primary buttons, and the status banner carries the sync state.
    Material.primary: Theme.surface
    Material.accent: Theme.accent

    // Set by UiDriver: the self-test proves it fails on a QML warning by asking for one.
    property bool injectWarning: false
    // UiDriver reaches the Nav singleton through this.
    readonly property QtObject nav: Nav
    readonly property bool wide: width >= 1000
    // The rail's screens, in order. Ctrl+1 .. Ctrl+6 go to them.
    readonly property var screens: [
        { name: "today", label: qsTr("Today"), glyph: "\u2302" },
        { name: "accounts", label: qsTr("Accounts"), glyph: "\u263A" },
        { name: "catalog", label: qsTr("Catalog"), glyph: "\u25A4" },
        { name: "orders", label: qsTr("Orders"), glyph: "\u2630" },
        { name: "conflicts", label: qsTr("Conflicts"), glyph: "\u21C4" },
        { name: "settings", label: qsTr("Settings"), glyph: "\u2699" }
    ]

    function pageUrl(name) {
        switch (name) {
        case "accounts": return Qt.resolvedUrl("AccountsPage.qml")
        case "catalog": return Qt.resolvedUrl("CatalogPage.qml")
        case "orders": return Qt.resolvedUrl("OrdersPage.qml")
        case "conflicts": return Qt.resolvedUrl("ConflictsPage.qml")
        case "settings": return Qt.resolvedUrl("SettingsPage.qml")
        default: return Qt.resolvedUrl("TodayPage.qml")
        }
    }

    // A kiosk fills the screen (not in offscreen runs: the tour keeps 1280x800).
    function applyKioskWindow() {
        const headless = Qt.platform.pluginName === "offscreen" || Qt.platform.pluginName === "minimal"
        if (Session.kioskMode && !headless)
            window.showFullScreen()
        else if (window.visibility === Window.FullScreen)
            window.showNormal()
    }

    Component.onCompleted: {
        applyKioskWindow()
        if (injectWarning) {
            const missing = null
            console.log(missing.deliberateWarning)
        }
    }
    // Leaving the kiosk needs the admin PIN (KioskPage's unlock): the window does not close.
    onClosing: (close) => { close.accepted = !(Session.signedIn && Session.kioskMode) }

    Connections {
        target: Session
        function onSessionChanged() {
            window.applyKioskWindow()
            if (!Session.signedIn)
                Nav.screen = "today"
        }
    }

    Shortcut {
        sequences: ["Esc"]
        enabled: Session.signedIn && !Session.kioskMode
        onActivated: Nav.back()
    }

    Loader {
        id: content
        anchors.fill: parent
        sourceComponent: !Session.signedIn ? signInComponent : (Session.kioskMode ? kioskComponent : shellComponent)
    }

    Component {
        id: signInComponent
        SignInPage {}
    }

    Component {
        id: kioskComponent
        KioskPage {}
    }

    Component {
        id: shellComponent
        RowLayout {
            spacing: 0

            // Navigation rail
            Rectangle {
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.railWidth
                color: Theme.surface
                ColumnLayout {
                    anchors.fill: parent
                    anchors.topMargin: Theme.gap
                    spacing: Theme.gapSmall
                    Repeater {
                        model: window.screens
                        delegate: RailButton {
                            required property var modelData
                            required property int index
                            Layout.fillWidth: true
                            name: modelData.name
                            label: modelData.label
                            glyph: modelData.glyph
                            shortcut: "Ctrl+" + (index + 1)
                            badge: modelData.name === "conflicts" ? Session.conflictCount
                                 : modelData.name === "orders" ? Orders.attentionCount : 0
                        }
                    }
                    Item { Layout.fillHeight: true }
                }
                Rectangle {
                    anchors.right: parent.right
                    width: 1
                    height: parent.height
                    color: Theme.divider
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0
                StatusBanner {
                    Layout.fillWidth: true
                }
                StackView {
                    id: stack
                    objectName: "mainStack"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    Component.onCompleted: {
                        Nav.stack = stack
                        stack.push(window.pageUrl(Nav.screen), {}, StackView.Immediate)
                    }
                    Component.onDestruction: if (Nav.stack === stack) Nav.stack = null
                }
            }

            Connections {
                target: Nav
                function onScreenRequested(name) {
                    stack.replace(null, window.pageUrl(name), {}, StackView.Immediate)
                }
            }
        }
    }

    // One rail entry: glyph, label, optional count badge; finger-sized.
    component RailButton: ItemDelegate {
        id: rail
        property string name
        property string label
        property string glyph
        property string shortcut
        property int badge: 0
        objectName: "nav_" + name
        implicitHeight: Theme.touch + Theme.gapLarge + Theme.gap
        highlighted: Nav.screen === name
        onClicked: Nav.go(name)
        Accessible.name: label
        ToolTip.visible: hovered
        ToolTip.text: label + " (" + shortcut + ")"
        ToolTip.delay: 600

        Shortcut {
            sequences: [rail.shortcut]
            onActivated: Nav.go(rail.name)
        }

        contentItem: ColumnLayout {
            spacing: 2
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: rail.glyph
                font.pixelSize: Theme.fontTitle
                color: rail.highlighted ? Theme.primary : Theme.textMuted
                Rectangle {
                    visible: rail.badge > 0
                    anchors.left: parent.right
                    anchors.top: parent.top
                    anchors.leftMargin: -Theme.gapSmall
                    width: Math.max(height, badgeText.implicitWidth + Theme.gap)
                    height: badgeText.implicitHeight + 2
                    radius: height / 2
                    color: Theme.error
                    Label {
                        id: badgeText
                        objectName: "navBadge_" + rail.name
                        anchors.centerIn: parent
                        text: rail.badge > 99 ? "99+" : String(rail.badge)
                        color: "white"
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: rail.label
                font.pixelSize: Theme.fontSmall
                font.bold: rail.highlighted
                color: rail.highlighted ? Theme.primary : Theme.textMuted
            }
        }
        background: Rectangle {
            color: rail.highlighted ? Theme.selection : (rail.down ? Theme.divider : "transparent")
        }
    }
}
