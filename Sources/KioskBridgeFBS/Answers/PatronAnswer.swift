import KioskBridgeCore

/// `{"authenticateStatus": ..., "patronId": ..., "patronType": ...}` from
/// `patrons/preauthenticated/v10`. `INVALID` is no patron; a status fbs-api.md does not
/// name is refused rather than guessed at.
enum PatronAnswer {
    static func patron(from bytes: [UInt8], cpr: CPRNumber) throws(FBSError) -> FBSPatron? {
        let context = AnswerContext(operation: .findPatron, cpr: cpr)
        let answer = try context.json(bytes).object()
        let statusField = try answer.required("authenticateStatus")
        let status: FBSPatron.Status
        switch try statusField.string() {
        case "INVALID": return nil
        case "VALID": status = .valid
        case "LOANER_LOCKED_OUT": status = .loanerLockedOut
        default: throw statusField.refuse(expected: "VALID, INVALID or LOANER_LOCKED_OUT")
        }
        let id = try answer.required("patronId").positiveID()
        return FBSPatron(id: FBSPatronID(id), status: status, kind: try kind(answer.optional("patronType")))
    }

    static func kind(_ field: AnswerField?) throws(FBSError) -> FBSPatron.Kind {
        guard let field else { return .unstated }
        switch try field.string() {
        case "PERSON": return .person
        case "COMPANY": return .company
        case "LIBRARY": return .library
        case "GROUP": return .group
        case let other: return .other(AnswerText.echo(other, hiding: field.context.cpr))
        }
    }
}
