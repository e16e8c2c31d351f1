// The conflicts screen: an empty state; each conflict side by side (before, mine, theirs) with keep
// mine (queues my value again) and keep theirs (closes it); conflicts only the server can close
// offer keep theirs alone. Conflicts are recorded as a sync would (TestData.recordConflict).
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
        name: "Conflicts"
        when: windowShown

        Component { id: pageComponent; ConflictsPage { width: 1280; height: 800 } }
        property var page: null
        property var made: []

        function child(name) {
            const item = findChild(page, name)
            verify(item !== null, "no item " + name)
            return item
        }

        function make(field, base, mine, theirs) {
            const id = TestData.recordConflict(field, base, mine, theirs)
            verify(id > 0)
            made.push(id)
            return id
        }

        function init() {
            made = []
            page = createTemporaryObject(pageComponent, root)
            verify(page !== null)
            waitForRendering(page)
        }

        function cleanup() {
            for (const id of made)
                Conflicts.keepTheirs(id) // already closed ones just say so
        }

        function test_emptyStateWhenNothingIsOpen() {
            compare(Conflicts.model.count, 0)
            verify(child("conflictsEmpty").visible)
            verify(!child("conflictsList").visible)
        }

        function test_conflictShowsBaseMineTheirs() {
            const id = make("phone", "+44 100", "+44 200", "+44 300")
            tryVerify(() => findChild(page, "conflict_" + id) !== null)
            verify(!child("conflictsEmpty").visible)
            const card = child("conflict_" + id)
            compare(card.fieldLabel, "Phone")
            compare(card.base, "+44 100")
            compare(card.mine, "+44 200")
            compare(card.theirs, "+44 300")
            verify(card.entityLabel.startsWith("Contact: "))
            verify(child("keepMine_" + id).enabled)
            verify(child("keepTheirs_" + id).height >= Theme.touch)
        }

        function test_keepMineQueuesMyValueAndCloses() {
            const id = make("phone", "+44 100", "+44 555", "+44 300")
            tryVerify(() => findChild(page, "keepMine_" + id) !== null)
            const before = TestData.pendingCommands()
            mouseClick(child("keepMine_" + id))
            tryVerify(() => findChild(page, "conflict_" + id) === null)
            compare(TestData.pendingCommands(), before + 1)
            compare(Conflicts.errorText, "")
        }

        function test_keepTheirsClosesWithoutSending() {
            const id = make("email", "a@example.com", "b@example.com", "c@example.com")
            tryVerify(() => findChild(page, "keepTheirs_" + id) !== null)
            const before = TestData.pendingCommands()
            mouseClick(child("keepTheirs_" + id))
            tryVerify(() => findChild(page, "conflict_" + id) === null)
            compare(TestData.pendingCommands(), before)
            tryVerify(() => child("conflictsEmpty").visible)
        }

        function test_serverOnlyConflictOffersKeepTheirsAlone() {
            const id = make("_record:duplicate", "", "{\"name\":\"Ann\"}", "{\"name\":\"Ann B\"}")
            tryVerify(() => findChild(page, "keepMine_" + id) !== null)
            verify(!child("keepMine_" + id).enabled)
            compare(child("conflict_" + id).mine, "Name: Ann")
            verify(!Conflicts.keepMine(id))
            compare(Conflicts.errorText, "Only the server's version can be kept here")
            verify(child("conflictsError").visible)
            verify(findChild(page, "conflict_" + id) !== null)
        }
    }
}
