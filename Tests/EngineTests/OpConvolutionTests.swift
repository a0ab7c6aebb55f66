import XCTest
@testable import Engine

final class OpConvolutionTests: XCTestCase {
    /// 3×3 input 1...9, 2×2 kernel of ones: each output is the sum of a 2×2 block.
    func testForwardSumsWindows() throws {
        let input = try Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
        let weight = try Tensor(shape: [1, 1, 2, 2], data: [1, 1, 1, 1])
        let bias = try Tensor(shape: [1], data: [0.5])
        let output = try input.conv2d(weight: weight, bias: bias)
        XCTAssertEqual(output.shape, [1, 1, 2, 2])
        assertClose(output.data, [12.5, 16.5, 24.5, 28.5])
    }

    /// Stride 2 with padding 1: windows at (-1,-1), (-1,1), (1,-1), (1,1) over 1...9.
    func testForwardStridePadding() throws {
        let input = try Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
        let weight = try Tensor(shape: [1, 1, 3, 3], data: [Float](repeating: 1, count: 9))
        let output = try input.conv2d(weight: weight, bias: nil, stride: 2, padding: .symmetric(1))
        XCTAssertEqual(output.shape, [1, 1, 2, 2])
        assertClose(output.data, [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9])
    }

    /// TensorFlow SAME: 4 wide, kernel 3, stride 2 -> output 2, total padding 1 all on the
    /// right/bottom; 5 wide -> output 3, padding 1 each side.
    func testSamePaddingSplitsLikeTensorFlow() throws {
        let even = Padding.same.resolve(height: 4, width: 4, kernelHeight: 3, kernelWidth: 3, stride: 2, dilation: 1)
        XCTAssertEqual([even.top, even.left, even.bottom, even.right], [0, 0, 1, 1])
        let odd = Padding.same.resolve(height: 5, width: 5, kernelHeight: 3, kernelWidth: 3, stride: 2, dilation: 1)
        XCTAssertEqual([odd.top, odd.left, odd.bottom, odd.right], [1, 1, 1, 1])
        let input = try Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Float.init))
        let weight = try Tensor(shape: [1, 1, 3, 3], data: [Float](repeating: 1, count: 9))
        let output = try input.conv2d(weight: weight, bias: nil, stride: 2, padding: .same)
        XCTAssertEqual(output.shape, [1, 1, 2, 2])
        // Top-left window covers rows 0-2, columns 0-2; bottom-right rows 2-3, columns 2-3 (+ padding).
        assertClose(output.data, [1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, 3 + 4 + 7 + 8 + 11 + 12,
                                  9 + 10 + 11 + 13 + 14 + 15, 11 + 12 + 15 + 16])
    }

    /// Dilation 2: a 2×2 kernel reads the corners of a 3×3 block.
    func testForwardDilation() throws {
        let input = try Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
        let weight = try Tensor(shape: [1, 1, 2, 2], data: [1, 10, 100, 1000])
        let output = try input.conv2d(weight: weight, bias: nil, dilation: 2)
        XCTAssertEqual(output.shape, [1, 1, 1, 1])
        assertClose(output.data, [1 + 30 + 700 + 9000])
    }

    /// Two groups: each output channel sees only its own input channel.
    func testForwardGroupsAndDepthwise() throws {
        let input = try Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 4, 10, 20, 30, 40])
        let weight = try Tensor(shape: [2, 1, 1, 1], data: [2, -1])
        let output = try input.conv2d(weight: weight, bias: nil, groups: 2)
        assertClose(output.data, [2, 4, 6, 8, -10, -20, -30, -40])
    }

    func testMismatchedChannelsThrowClearError() throws {
        let input = try Tensor(zeros: [1, 4, 5, 5])
        let weight = try Tensor(zeros: [8, 3, 3, 3])
        XCTAssertThrowsError(try input.conv2d(weight: weight, bias: nil)) { error in
            XCTAssertTrue("\(error)".contains("4 channels"), "\(error)")
        }
    }

    func testGradientPlain() throws {
        try checkConvolution(input: [2, 3, 5, 6], weight: [4, 3, 3, 3], stride: 1, padding: .symmetric(1))
    }

    func testGradientStrideTwoAsymmetricPadding() throws {
        try checkConvolution(input: [1, 2, 7, 6], weight: [3, 2, 3, 2], stride: 2,
                             padding: .explicit(top: 1, left: 0, bottom: 2, right: 1))
    }

    func testGradientSamePaddingOddAndEven() throws {
        try checkConvolution(input: [1, 2, 6, 6], weight: [2, 2, 3, 3], stride: 2, padding: .same)
        try checkConvolution(input: [1, 2, 7, 7], weight: [2, 2, 5, 5], stride: 2, padding: .same)
        try checkConvolution(input: [1, 2, 6, 5], weight: [2, 2, 4, 4], stride: 1, padding: .same)
    }

    func testGradientDilation() throws {
        try checkConvolution(input: [1, 2, 7, 7], weight: [2, 2, 3, 3], stride: 1, padding: .symmetric(2), dilation: 2)
    }

    func testGradientGroups() throws {
        try checkConvolution(input: [2, 4, 5, 5], weight: [6, 2, 3, 3], stride: 1, padding: .symmetric(1), groups: 2)
    }

    func testGradientDepthwise() throws {
        try checkConvolution(input: [2, 3, 6, 6], weight: [3, 1, 3, 3], stride: 1, padding: .symmetric(1), groups: 3)
        try checkConvolution(input: [1, 3, 7, 6], weight: [3, 1, 5, 5], stride: 2, padding: .same, groups: 3)
        try checkConvolution(input: [1, 2, 7, 7], weight: [2, 1, 3, 3], stride: 1, padding: .symmetric(2), dilation: 2, groups: 2)
    }

    /// Rows wide enough for the eight-wide SIMD paths of the depthwise kernel (stride 1 and 2)
    /// and for their scalar edges.
    func testGradientDepthwiseWideRows() throws {
        try checkConvolution(input: [1, 2, 5, 37], weight: [2, 1, 3, 3], stride: 1, padding: .symmetric(1), groups: 2)
        try checkConvolution(input: [1, 2, 6, 41], weight: [2, 1, 5, 5], stride: 2, padding: .same, groups: 2)
        try checkConvolution(input: [1, 2, 7, 40], weight: [2, 1, 3, 3], stride: 2, padding: .same, dilation: 2, groups: 2)
    }

    /// An input that also feeds another op: the conv's input gradient must add to what is
    /// there, not overwrite it (depthwise stride 1 and pointwise write a fresh gradient directly).
    func testGradientAccumulatesIntoSharedInput() throws {
        let input = try GradientCheck.random([1, 3, 6, 19], seed: 14)
        let depthwise = try GradientCheck.random([3, 1, 3, 3], seed: 15)
        let pointwise = try GradientCheck.random([3, 3, 1, 1], seed: 16)
        try GradientCheck.assertMatches([input]) { t in
            try (t[0] * t[0]) + t[0].conv2d(weight: depthwise, bias: nil, padding: .same, groups: 3)
        }
        try GradientCheck.assertMatches([input]) { t in
            try (t[0] * t[0]) + t[0].conv2d(weight: pointwise, bias: nil)
        }
        try GradientCheck.assertMatches([input]) { t in
            try t[0].conv2d(weight: pointwise, bias: nil) + t[0].conv2d(weight: depthwise, bias: nil, padding: .same, groups: 3)
        }
    }

    func testGradientPointwise() throws {
        try checkConvolution(input: [2, 5, 3, 4], weight: [3, 5, 1, 1], stride: 1, padding: .symmetric(0))
    }

    /// The depthwise and pointwise fast paths must equal the general im2col path.
    func testFastPathsMatchGeneralPath() throws {
        try compareDepthwiseWithGeneral(shape: [1, 4, 9, 9], kernel: 3, stride: 2)
        try compareDepthwiseWithGeneral(shape: [2, 3, 19, 45], kernel: 3, stride: 1)
        try compareDepthwiseWithGeneral(shape: [1, 3, 20, 53], kernel: 5, stride: 2)
        try compareDepthwiseWithGeneral(shape: [1, 2, 17, 34], kernel: 3, stride: 2)
    }

    private func compareDepthwiseWithGeneral(shape: [Int], kernel: Int, stride: Int) throws {
        let channels = shape[1]
        let input = try GradientCheck.random(shape, seed: 1)
        let depthwise = try GradientCheck.random([channels, 1, kernel, kernel], seed: 2)
        let fast = try input.conv2d(weight: depthwise, bias: nil, stride: stride, padding: .same, groups: channels)
        var slow = [Float](repeating: 0, count: fast.count)
        let plane = fast.shape[2] * fast.shape[3]
        for channel in 0..<channels {
            let part = try input.slice(axis: 1, range: channel..<(channel + 1))
            let kernel = try depthwise.slice(axis: 0, range: channel..<(channel + 1))
            // A 1-channel dense conv takes the im2col path (groups == 1 with Cout == 1 is also
            // "depthwise", so compute it by hand as a 2-output conv and keep the first).
            let doubled = try Tensor.concat([kernel, kernel * 0], axis: 0)
            let result = try part.conv2d(weight: doubled, bias: nil, stride: stride, padding: .same).slice(axis: 1, range: 0..<1)
            for image in 0..<shape[0] {
                for index in 0..<plane { slow[(image * channels + channel) * plane + index] = result.data[image * plane + index] }
            }
        }
        assertClose(fast.data, slow, tolerance: 1e-5)
    }

    private func checkConvolution(input inputShape: [Int], weight weightShape: [Int], stride: Int,
                                  padding: Padding, dilation: Int = 1, groups: Int = 1,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let input = try GradientCheck.random(inputShape, seed: 11)
        let weight = try GradientCheck.random(weightShape, seed: 12, scale: 0.5)
        let bias = try GradientCheck.random([weightShape[0]], seed: 13)
        try GradientCheck.assertMatches([input, weight, bias], file: file, line: line) { t in
            try t[0].conv2d(weight: t[1], bias: t[2], stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }
}
