import XCTest
import Engine
@testable import Language

/// Issue 8: every reading builtin works on a convnet trained in a cell, as notebook 004's
/// ConvNetJS sections use them (weights, activations, patches, codes, t-SNE, DBSCAN, and the
/// gradient and occlusion maps of a digit).
final class TrainedConvnetReadingTests: XCTestCase {
    func testEveryReadingBuiltinRunsOnATrainedConvnet() throws {
        let session = Session()
        let train = try MNISTDataset.load(.train).labeled(name: "mnist train").subset(Array(0..<1000))
        let test = try MNISTDataset.load(.test).labeled(name: "mnist test").subset(Array(0..<40))
        session.assign("d", .engine(.dataset(train)))
        session.assign("v", .engine(.dataset(test)))
        let setup = run("""
            seed(3)
            net = convnet("conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax", input: [1, 28, 28])
            h = train(net, d, epochs: 1, batch: 20)
            imgs = v.image
            """, in: session)
        XCTAssertNil(setup.error, "\(String(describing: setup.error))")
        // Each cell's result: [width, height] of a picture, a shape, or a count.
        let cells: [(String, String)] = [
            ("f = filters(net, \"conv1\")\n[f.width > 0, f.height > 0]", "[true, true]"),
            ("a = activations(net, imgs[0], \"conv2\")\n[a.width > 0, a.height > 0]", "[true, true]"),
            ("p = patches(net, imgs, \"conv2\", 3, top: 4)\n[p.width > 0, p.height > 0]", "[true, true]"),
            ("cnn_codes = features(net, imgs, \"pool2\")\ncnn_codes.shape", "[40, 256]"),
            ("t = tsne(cnn_codes, perplexity: 8, iterations: 250)\nt.shape", "[40, 2]"),
            ("len(dbscan(t, 3, min_points: 3))", "40"),
            ("s = saliency(net, imgs[0], class: \"7\")\n[s.width > 0, s.height > 0]", "[true, true]"),
            ("o = occlusion(net, imgs[0], class: \"7\", window: 8, stride: 4)\n[o.width > 0, o.height > 0]", "[true, true]"),
            ("g = guided(net, imgs[0], class: \"7\")\n[g.width > 0, g.height > 0]", "[true, true]"),
            ("c = gradcam(net, imgs[0], class: \"7\", layer: \"conv2\")\n[c.width > 0, c.height > 0]", "[true, true]"),
        ]
        for (code, expected) in cells {
            let cell = run(code, in: session)
            XCTAssertNil(cell.error, "\(code): \(String(describing: cell.error))")
            XCTAssertEqual(cell.resultText, expected, code)
        }
    }
}
