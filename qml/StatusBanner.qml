// The sync status every screen shows at the top: offline (work is kept and sent later), syncing
// with progress, an error that will be retried (or needs the rep), changes waiting to send, or
// up to date with the time of the last sync.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Outpost.App

Rectangle {
    id: banner
    objectName: "statusBanner"

    // offline | syncing | error | pending | ok
    readonly property string state_: Session.syncing ? "syncing"
        : (!Session.online || Session.syncState === "offline") ? "offline"
        : Session.syncState === "error" ? "error"
        : (Session.pendingCount > 0 || Session.failedCount > 0) ? "pending"
        : "ok"
    readonly property string text: {
        switch (state_) {
        case "offline":
            return Session.pendingCount > 0
                ? qsTr("Offline \u2014 %n change(s) saved on this device, sent when the connection returns", "", Session.pendingCount)
                : qsTr("Offline \u2014 everything you do is saved on this device")
        case "syncing":
            return qsTr("Syncing %1% \u2014 %2").arg(Math.round(Session.syncProgress * 100)).arg(Session.syncProgressText)
        case "error":
            return Session.syncErrorTransient
                ? qsTr("Sync failed: %1 \u2014 will retry").arg(Session.syncErrorText)
                : qsTr("Sync failed: %1 \u2014 check Settings").arg(Session.syncErrorText)
        case "pending":
            return Session.failedCount > 0
                ? qsTr("%n change(s) waiting to send, %1 failed", "", Session.pendingCount).arg(Session.failedCount)
                : qsTr("%n change(s) waiting to send", "", Session.pendingCount)
        default:
            return qsTr("Up to date \u2014 last sync %1").arg(Session.lastSuccessText)
        }
    }

    implicitHeight: Math.max(Theme.touch * 0.75, row.implicitHeight + Theme.gap)
    color: state_ === "offline" || state_ === "error" ? Theme.error
         : state_ === "syncing" || state_ === "pending" ? Theme.info
         : Theme.ok

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.gap
        spacing: Theme.gap

        Label {
            objectName: "statusBannerText"
            Layout.fillWidth: true
            text: banner.text
            color: "white"
            elide: Text.ElideRight
            font.pixelSize: Theme.fontBody
        }
        ProgressBar {
            objectName: "statusBannerProgress"
            visible: banner.state_ === "syncing"
            Layout.preferredWidth: 160
            from: 0
            to: 1
            value: Session.syncProgress
        }
        Button {
            objectName: "statusBannerSyncButton"
            visible: banner.state_ !== "syncing"
            flat: true
            text: qsTr("Sync now")
            Layout.preferredHeight: Theme.touch
            Material.foreground: "white"
            onClicked: Session.syncNow()
        }
    }
}
