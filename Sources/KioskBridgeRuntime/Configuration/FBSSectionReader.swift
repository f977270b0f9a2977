import KioskBridgeFBS

extension ConfigurationReader {
    /// `[fbs]`: required with `fbs_claims = "fbs"`, where the credentials file must already be
    /// usable (readable by the service user only), so that a bad one is refused at once rather
    /// than at the first cycle.
    func fbsSettings(required: Bool) throws -> FBSSettings? {
        let section = try table("fbs", known: ["base_url", "agency_id", "credentials_file", "give_up_after_hours", "claim_types",
                                               "timeout_seconds"])
        guard required else { return nil }
        guard let section else {
            throw fail("[fbs]", "a table with base_url, agency_id and credentials_file (required with [allocation] fbs_claims = \"fbs\")")
        }
        func requiredText(_ key: String, _ example: String) throws -> String {
            guard let value = try string(section, key, in: "[fbs]"), !value.isEmpty else {
                throw fail("[fbs] \(key)", "\(example) (the key is required in [fbs])")
            }
            return value
        }
        let baseURL = try requiredText("base_url", "FBS's REST address, e.g. \"https://fbs.example/rest\"")
        let agency = try requiredText("agency_id", "the library's ISIL code, e.g. \"DK-761500\"")
        let credentials = ConfigurationLoader.absolute(try requiredText("credentials_file", "the path of a file with two lines, username and password"),
                                                       relativeTo: folder)
        let timeout = try seconds(section, "timeout_seconds", in: "[fbs]", allowZero: false)
        let service: FBSConfiguration
        do {
            service = try FBSConfiguration(baseURL: baseURL, agencyID: agency, credentialsFile: credentials,
                                           timeout: timeout.map { .milliseconds(Int64($0 * 1000)) } ?? FBSConfiguration.defaultTimeout)
            _ = try FBSCredentials.read(from: credentials)
        } catch {
            throw BridgeError.configuration("\(path): \(error.description)")
        }
        let hours = try int(section, "give_up_after_hours", in: "[fbs]", expected: "a whole number of hours from 1 to 720",
                            valid: { (1...720).contains($0) }) ?? FBSSettings.defaultGiveUpAfterHours
        var types = FBSSettings.defaultClaimTypes
        if let value = section["claim_types"] {
            guard let table = value.table else { throw fail("[fbs] claim_types", "a table such as { fee = \"BIBLIOTEKSGEBYR\" }", found: value) }
            for key in table.keys.sorted() {
                guard ["fee", "compensation", "other"].contains(key) else {
                    throw fail("[fbs] claim_types \(key)", "one of FBS's fee types: fee, compensation, other")
                }
                guard let code = table[key]?.string, !code.isEmpty else {
                    throw fail("[fbs] claim_types \(key)", "the kiosk's claim type code as a non-empty string", found: table[key])
                }
                types[key] = code
            }
        }
        return FBSSettings(service: service, giveUpAfterHours: hours, claimTypes: types)
    }
}
