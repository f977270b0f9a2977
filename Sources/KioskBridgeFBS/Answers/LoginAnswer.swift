/// `{"sessionKey": "..."}`: the key every later call sends as `X-Session`. Nothing of this
/// answer is ever echoed in an error.
enum LoginAnswer {
    static func sessionKey(from bytes: [UInt8]) throws(FBSError) -> String {
        let context = AnswerContext(operation: .login, secret: true)
        let field = try context.json(bytes).object().required("sessionKey")
        let key = try field.string()
        // The key goes into a header: it must be a visible ASCII token.
        guard !key.isEmpty, key.utf8.count <= 4096, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw field.refuse(expected: "a session key of 1 to 4096 visible ASCII characters")
        }
        return key
    }
}
