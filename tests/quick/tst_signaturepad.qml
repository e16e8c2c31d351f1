// The signature pad and dialog: mouse drags make strokes of the right number of points with
// increasing times (ms since the first point) and pressure 1000 (a mouse reports none); Clear
// empties the pad; Accept is enabled only with a signer's name and at least one stroke, and
// stores the signature on the open draft. Items are found by objectName only.
import QtQuick
import QtTest
import Outpost.App
import Outpost.Ui
import Outpost.Test

Item {
    id: root
    width: 1280
    height: 800

    TestCase {
        id: tc
        name: "SignaturePad"
        when: windowShown

        Component { id: padComponent; SignaturePad { width: 600; height: 200 } }
        Component { id: dialogComponent; SignatureDialog {} }

        // One stroke: press, `moves` moves 15 ms apart, release where the last move ended.
        function drag(item, x, y, moves) {
            mousePress(item, x, y)
            for (let i = 1; i <= moves; ++i)
                mouseMove(item, x + 20 * i, y + (i % 2 === 0 ? -15 : 15), 15)
            mouseRelease(item, x + 20 * moves, y + (moves % 2 === 0 ? -15 : 15), Qt.LeftButton, Qt.NoModifier, 15)
        }

        function test_dragsMakeStrokesWithIncreasingTime() {
            const pad = createTemporaryObject(padComponent, root)
            verify(pad !== null)
            waitForRendering(pad)
            verify(pad.isEmpty)
            drag(pad, 40, 100, 5)
            compare(pad.strokes.length, 1)
            compare(pad.strokes[0].length, 6)
            compare(pad.pointCount, 6)
            verify(!pad.isEmpty)
            const s = pad.strokes[0]
            compare(s[0][2], 0, "time starts at the first point")
            compare(s[0][0], 40)
            compare(s[0][1], 100)
            for (let i = 1; i < s.length; ++i) {
                verify(s[i][2] > s[i - 1][2], "time increases: " + JSON.stringify(s))
                compare(s[i][3], 1000)
                compare(s[i].length, 4)
            }
            drag(pad, 60, 60, 3)
            compare(pad.strokes.length, 2)
            compare(pad.strokes[1].length, 4)
            verify(pad.strokes[1][0][2] >= s[s.length - 1][2], "the second stroke continues the clock")
        }

        function test_clearEmptiesThePad() {
            const pad = createTemporaryObject(padComponent, root)
            waitForRendering(pad)
            drag(pad, 40, 100, 4)
            verify(!pad.isEmpty)
            pad.clear()
            verify(pad.isEmpty)
            compare(pad.strokes.length, 0)
            compare(pad.pointCount, 0)
        }

        function test_acceptNeedsSignerAndStrokes() {
            verify(TestData.resetDraft())
            const dialog = createTemporaryObject(dialogComponent, root)
            verify(dialog !== null)
            dialog.openFor(Order.orderId, Order.totalText)
            tryCompare(dialog, "opened", true)
            const accept = findChild(dialog.footer, "signatureAcceptButton")
            const name = findChild(dialog.contentItem, "signerNameField")
            const pad = findChild(dialog.contentItem, "signaturePad")
            verify(accept !== null && name !== null && pad !== null)
            waitForRendering(pad)
            verify(!accept.enabled, "nothing entered")
            name.text = "Aisha Evans"
            verify(!accept.enabled, "a name but no strokes")
            drag(pad, 40, 100, 5)
            verify(accept.enabled, "a name and a stroke")
            name.text = "   "
            verify(!accept.enabled, "a blank name is no name")
            name.text = "Aisha Evans"
            findChild(dialog.contentItem, "signatureClearButton").clicked()
            verify(!accept.enabled, "cleared")
            drag(pad, 40, 100, 5)

            const signed = createTemporaryObject(signalSpyComponent, tc, { target: dialog, signalName: "signed" })
            mouseClick(accept)
            compare(signed.count, 1, Attachments.errorText)
            verify(signed.signalArguments[0][0] !== "")
            tryCompare(dialog, "visible", false)
        }

        Component { id: signalSpyComponent; SignalSpy {} }
    }
}
