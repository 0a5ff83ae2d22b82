import Foundation
import HoSoCatalog
import HoSoCore
import Testing

/// What every ``Catalog`` must do, whatever stores it.
@Suite struct CatalogContractTests {
    static let caseA = try! CaseID(parsing: "000.00.14.H27-240815-0007")
    static let caseB = try! CaseID(parsing: "000.00.21.H27-240816-0012")
    static let t0 = RFC3339.parse("2024-08-15T01:30:00.000Z")!

    static func document(_ caseID: CaseID, _ fill: UInt8, at time: Date, name: String = "scan.tif") -> Document {
        Document(caseID: caseID, component: "Đơn đăng ký", sha256: SHA256Digest(bytes: [UInt8](repeating: fill, count: 32)),
                 byteCount: 1234, sourceFileName: name, station: "scan-01", digitizedBy: "station:scan-01", storedAt: time)
    }

    /// Jobs of yesterday and today at two stations: counted all together, or only those created since a time.
    @Test(arguments: CatalogImplementation.allCases)
    func stationActivity_countsEveryJob_orThoseSinceATime(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let today = Self.t0.addingTimeInterval(86_400)
        for (index, (station, time)) in [("scan-01", Self.t0), ("scan-01", today), ("scan-01", today.addingTimeInterval(60)), ("scan-02", Self.t0)].enumerated() {
            let job = try await catalog.enqueueJob(NewIngestJob(sourceKey: "k\(index)", station: station, sourcePath: "/in/\(index).tif"), at: time)
            if index == 1 { try await catalog.finishJob(try #require(job.id), outcome: .failed(reason: "unreadable"), at: time.addingTimeInterval(5)) }
        }
        let all = try await catalog.stationActivity()
        #expect(all.map(\.station) == ["scan-01", "scan-02"])
        #expect(all.map { [$0.queued, $0.failed] } == [[2, 1], [1, 0]])
        let sinceToday = try await catalog.stationActivity(since: today)
        #expect(sinceToday.map(\.station) == ["scan-01"], "scan-02 took nothing today")
        #expect(sinceToday.first.map { [$0.queued, $0.failed, $0.done, $0.quarantined] } == [1, 1, 0, 0])
        #expect(sinceToday.first?.lastActivity == today.addingTimeInterval(60))
        let recent = try await catalog.recentJobs(of: "scan-01", limit: 2)
        #expect(recent.map(\.sourceKey) == ["k2", "k1"], "the last changed first")
        #expect(recent.last?.failure == "unreadable" && recent.last?.state == .failed)
        #expect(try await catalog.recentJobs(of: "scan-09", limit: 5).isEmpty)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func openCase_createsOnce_withOneOpenedEvent(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let opened = try await catalog.openCase(Self.caseA, actor: "cli:test", at: Self.t0)
        #expect(opened.status == .open)
        #expect(opened.createdAt == Self.t0)
        try await catalog.openCase(Self.caseA, actor: "cli:test", at: Self.t0.addingTimeInterval(60))
        let events = try await catalog.events(of: Self.caseA)
        #expect(events.map(\.kind) == [.caseOpened])
        #expect(events[0].actor == "cli:test")
        #expect(try await catalog.fetchCase(Self.caseB) == nil)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func recordDocument_opensTheCase_storesOnce_andRecordsDuplicates(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let first = try await catalog.recordDocument(Self.document(Self.caseA, 1, at: Self.t0), actor: "station:scan-01")
        guard case .stored(let stored) = first else { Issue.record("expected stored, got \(first)"); return }
        #expect(stored.id != nil)

        let again = try await catalog.recordDocument(
            Self.document(Self.caseA, 1, at: Self.t0.addingTimeInterval(5), name: "rescan.tif"), actor: "station:scan-01")
        #expect(again == .duplicate(of: stored))

        // The same bytes for another case are that case's own document.
        let other = try await catalog.recordDocument(Self.document(Self.caseB, 1, at: Self.t0), actor: "station:scan-01")
        guard case .stored = other else { Issue.record("expected stored, got \(other)"); return }

        #expect(try await catalog.documents(of: Self.caseA) == [stored])
        let events = try await catalog.events(of: Self.caseA)
        #expect(events.map(\.kind) == [.caseOpened, .documentStored, .duplicate])
        #expect(events[1].details["sha256"] == stored.sha256.hex)
        #expect(events[2].details["sourceFileName"] == "rescan.tif")
        #expect(events[2].time == Self.t0.addingTimeInterval(5))
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aNormalizedCopy_comesBackAsStored(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let page = PageMetadata(widthPixels: 1654, heightPixels: 2339, dpi: 200, bitsPerSample: 1, colourMode: .bilevel,
                                compression: "CCITT G4", encoding: "ccitt", widthMM: 210, heightMM: 297, paper: .a4,
                                warnings: ["not colour (bilevel); ND 30/2020 asks for colour copies"])
        var document = Self.document(Self.caseA, 4, at: Self.t0)
        document.status = .normalized
        document.pageCount = 1
        document.normalized = NormalizedCopy(
            pdf: SHA256Digest(bytes: [UInt8](repeating: 5, count: 32)), pdfByteCount: 13391,
            thumbnail: SHA256Digest(bytes: [UInt8](repeating: 6, count: 32)),
            metadata: DocumentMetadata(inputKind: "tiff", inputSHA256: document.sha256, inputByteCount: 1234,
                                       outputSHA256: SHA256Digest(bytes: [UInt8](repeating: 5, count: 32)), outputByteCount: 13391,
                                       pages: [page], pdfA: true, warnings: []))
        guard case .stored(let stored) = try await catalog.recordDocument(document, actor: "s") else {
            Issue.record("not stored"); return
        }
        #expect(try await catalog.documents(of: Self.caseA) == [stored])
        #expect(stored.normalized == document.normalized)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func events_comeBackInTimeOrder_notWriteOrder(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        try await catalog.openCase(Self.caseA, actor: "desk", at: Self.t0)
        // A station that was offline reports its earlier step after a later one.
        try await catalog.appendEvent(Event(caseID: Self.caseA, time: Self.t0.addingTimeInterval(7200), actor: "leader", kind: .returned))
        try await catalog.appendEvent(Event(caseID: Self.caseA, time: Self.t0.addingTimeInterval(3600), actor: "specialist",
                                            kind: .documentStored, details: ["note": "late report"]))
        try await catalog.appendEvent(Event(caseID: Self.caseA, time: Self.t0.addingTimeInterval(3600), actor: "second",
                                            kind: .duplicate))
        let events = try await catalog.events(of: Self.caseA)
        #expect(events.map(\.actor) == ["desk", "specialist", "second", "leader"])
        #expect(events.map(\.time) == events.map(\.time).sorted())
        #expect(events[1].details == ["note": "late report"])
    }

    /// The trail in pages of one: the same events in the same order, ties in time included, each once.
    @Test(arguments: CatalogImplementation.allCases)
    func eventPages_followTheTrailsOrder(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        try await catalog.openCase(Self.caseA, actor: "desk", at: Self.t0)
        for (offset, actor) in [(7200.0, "leader"), (3600, "specialist"), (3600, "second"), (3600, "third")] {
            try await catalog.appendEvent(Event(caseID: Self.caseA, time: Self.t0.addingTimeInterval(offset), actor: actor, kind: .duplicate))
        }
        let whole = try await catalog.events(of: Self.caseA).map(\.actor)
        var paged: [String] = [], cursor: EventCursor?, pages = 0
        repeat {
            let page = try await catalog.eventPage(of: Self.caseA, after: cursor, limit: 1)
            paged += page.events.map(\.actor)
            cursor = page.next
            pages += 1
        } while cursor != nil && pages < 10
        #expect(whole == ["desk", "specialist", "second", "third", "leader"])
        #expect(paged == whole && pages == 5)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func appendEvent_toUnknownCase_isRefused(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        await #expect(throws: CatalogError.unknownCase(Self.caseB)) {
            try await catalog.appendEvent(Event(caseID: Self.caseB, time: Self.t0, actor: "x", kind: .returned))
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func registerCase_registersOnce_reportsUnchanged_andRefusesChanges(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        // Documents may arrive before the workflow server registers the case.
        _ = try await catalog.recordDocument(Self.document(Self.caseA, 9, at: Self.t0), actor: "station:scan-01")
        let registration = CaseRegistration(
            id: Self.caseA, procedureCode: try ProcedureCode(parsing: "1.001193"),
            applicant: Applicant(name: "Nguyễn Văn A", idNumber: "027090001234"),
            receivedAt: RFC3339.parse("2024-08-15T08:30:00+07:00")!, dueAt: RFC3339.parse("2024-08-29T17:00:00+07:00")!,
            requiredComponents: ["Đơn đăng ký", "Giấy chứng nhận"]
        )
        let first = try await catalog.registerCase(registration, actor: "workflow", at: Self.t0.addingTimeInterval(10))
        guard case .registered(let registered) = first else { Issue.record("expected registered, got \(first)"); return }
        #expect(registered.applicant?.name == "Nguyễn Văn A")
        #expect(registered.requiredComponents == ["Đơn đăng ký", "Giấy chứng nhận"])
        #expect(registered.createdAt == Self.t0, "registration keeps when HoSo first heard of the case")

        let second = try await catalog.registerCase(registration, actor: "workflow", at: Self.t0.addingTimeInterval(20))
        #expect(second == .unchanged(registered))

        var changed = registration
        changed.dueAt = registration.dueAt.addingTimeInterval(86400)
        let third = try await catalog.registerCase(changed, actor: "workflow", at: Self.t0.addingTimeInterval(30))
        #expect(third == .conflict(existing: registered))
        #expect(try await catalog.events(of: Self.caseA).map(\.kind) == [.caseOpened, .documentStored, .caseRegistered])
    }

    @Test(arguments: CatalogImplementation.allCases)
    func listCases_filtersByStatusAndTime_andCountsDocuments(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        _ = try await catalog.recordDocument(Self.document(Self.caseA, 1, at: Self.t0), actor: "s")
        _ = try await catalog.recordDocument(Self.document(Self.caseA, 2, at: Self.t0), actor: "s")
        try await catalog.openCase(Self.caseB, actor: "s", at: Self.t0.addingTimeInterval(86400))

        let all = try await catalog.listCases(CaseQuery())
        #expect(all.map(\.case.id) == [Self.caseB, Self.caseA], "newest first")
        #expect(all.map(\.documentCount) == [0, 2])
        let early = try await catalog.listCases(CaseQuery(to: Self.t0.addingTimeInterval(3600)))
        #expect(early.map(\.case.id) == [Self.caseA])
        let late = try await catalog.listCases(CaseQuery(from: Self.t0.addingTimeInterval(3600)))
        #expect(late.map(\.case.id) == [Self.caseB])
        #expect(try await catalog.listCases(CaseQuery(status: .returned)).isEmpty)
        #expect(try await catalog.listCases(CaseQuery(limit: 1)).count == 1)
    }

    /// Pages follow the list's order (newest first, then by ID, ties included) and start after their cursor:
    /// a case that arrives between two pages neither shifts the next page nor shows twice.
    @Test(arguments: CatalogImplementation.allCases)
    func casePages_coverTheListOnce_evenWhenCasesArriveBetweenThem(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let ids = try (1...5).map { try CaseID(parsing: String(format: "000.00.14.H27-240815-%04d", $0)) }
        for (index, id) in ids.enumerated() {
            // Three cases first seen at the same moment: their order is their IDs'.
            try await catalog.openCase(id, actor: "s", at: Self.t0.addingTimeInterval(index < 3 ? 0 : Double(index)))
        }
        let whole = try await catalog.listCases(CaseQuery()).map(\.case.id)
        #expect(whole == [ids[4], ids[3], ids[0], ids[1], ids[2]])

        let first = try await catalog.casePage(CaseQuery(limit: 2))
        #expect(first.cases.map(\.case.id) == Array(whole[0..<2]))
        try await catalog.openCase(try CaseID(parsing: "000.00.14.H27-240815-0099"), actor: "s", at: Self.t0.addingTimeInterval(86400))
        let second = try await catalog.casePage(CaseQuery(after: try #require(first.next), limit: 2))
        #expect(second.cases.map(\.case.id) == Array(whole[2..<4]), "the newcomer is before the cursor: nothing shifts")
        let third = try await catalog.casePage(CaseQuery(after: try #require(second.next), limit: 2))
        #expect(third.cases.map(\.case.id) == [whole[4]] && third.next == nil)
        #expect(try CaseCursor(encoded: try #require(second.next).encoded) == second.next, "the cursor survives its text")
        #expect(try await catalog.allCases(CaseQuery(limit: 2)).count == 6)
    }

    /// The quarantine in pages, oldest first, each entry once; a resolved entry shows only when asked.
    @Test(arguments: CatalogImplementation.allCases)
    func quarantinePages_coverItOnce(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        var ids: [Int64] = []
        for index in 0..<5 {
            let job = try await catalog.enqueueJob(NewIngestJob(sourceKey: "q\(index)", station: "scan-01", sourcePath: "/in/\(index).tif"), at: Self.t0)
            let entry = QuarantineEntry(station: "scan-01", sourceFileName: "\(index).tif", sha256: try SHA256Digest(hex: String(repeating: "\(index)", count: 64)),
                                        byteCount: 1, normalized: nil, reason: .noCaseID, detail: "", component: nil,
                                        digitizedBy: "station:scan-01", quarantinedAt: Self.t0)
            guard case .quarantined(let stored) = try await catalog.commitIngestJob(job.id, .quarantine(entry), actor: "s", at: Self.t0) else {
                Issue.record("not quarantined")
                return
            }
            ids.append(try #require(stored.id))
        }
        try await catalog.rejectQuarantined(ids[1], reason: "blank page", actor: "clerk", at: Self.t0)

        var open: [Int64] = [], cursor: QuarantineCursor?, pages = 0
        repeat {
            let page = try await catalog.quarantinePage(includeResolved: false, after: cursor, limit: 2)
            open += page.entries.compactMap(\.id)
            cursor = page.next
            pages += 1
        } while cursor != nil && pages < 10
        #expect(open == [ids[0], ids[2], ids[3], ids[4]] && pages == 2)
        let everything = try await catalog.quarantinePage(includeResolved: true, after: nil, limit: 10)
        #expect(everything.entries.compactMap(\.id) == ids && everything.next == nil)
        let cursorText = try #require(try await catalog.quarantinePage(includeResolved: true, after: nil, limit: 1).next).encoded
        #expect(try QuarantineCursor(encoded: cursorText) == QuarantineCursor(id: ids[0]))
        let caseCursor = CaseCursor(createdAt: Self.t0, id: Self.caseA).encoded
        #expect(throws: InvalidCursor.self, "a cursor of another list") { try QuarantineCursor(encoded: caseCursor) }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func whatIsWritten_survivesReopening(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        _ = try await handle.catalog.recordDocument(Self.document(Self.caseA, 3, at: Self.t0), actor: "s")
        let reopened = try await handle.reopen()
        #expect(try await reopened.documents(of: Self.caseA).count == 1)
        #expect(try await reopened.events(of: Self.caseA).count == 2)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func twoWritersAtOnce_loseNothing(_ implementation: CatalogImplementation) async throws {
        let handle = try await implementation.makeEmpty()
        let second = try await handle.reopen()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for fill in 0..<40 {
                let catalog = fill.isMultiple(of: 2) ? handle.catalog : second
                group.addTask {
                    _ = try await catalog.recordDocument(
                        Self.document(Self.caseA, UInt8(fill), at: Self.t0.addingTimeInterval(Double(fill))), actor: "s")
                }
            }
            try await group.waitForAll()
        }
        #expect(try await handle.catalog.documents(of: Self.caseA).count == 40)
        #expect(try await handle.catalog.events(of: Self.caseA).filter { $0.kind == .caseOpened }.count == 1)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func ingestJobs_areQueuedOnce_claimedUnderALease_andFinished(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let new = NewIngestJob(sourceKey: "scan-01:/in/a.tif:1234:1700000000", station: "scan-01", sourcePath: "/in/a.tif")
        let job = try await catalog.enqueueJob(new, at: Self.t0)
        #expect(job.state == .pending && job.step == .queued && job.attempts == 0)
        #expect(try await catalog.enqueueJob(new, at: Self.t0.addingTimeInterval(1)).id == job.id, "a file is queued once")

        let lease = Self.t0.addingTimeInterval(60)
        let claimed = try #require(try await catalog.claimNextJob(worker: "w1", at: Self.t0, leaseExpiry: lease))
        #expect(claimed.id == job.id && claimed.state == .running && claimed.claimedBy == "w1" && claimed.attempts == 1)
        #expect(try await catalog.claimNextJob(worker: "w2", at: Self.t0.addingTimeInterval(30), leaseExpiry: lease) == nil)

        try await catalog.advanceJob(job.id, to: .fixity, progress: ["sha256": "ab"], at: Self.t0.addingTimeInterval(2))
        try await catalog.advanceJob(job.id, to: .indexed, progress: ["caseID": Self.caseA.description], at: Self.t0.addingTimeInterval(3))

        // The worker died: fsck sees the job interrupted once its lease has run out, not before.
        #expect(try await catalog.interruptedJobs(at: Self.t0.addingTimeInterval(30)).isEmpty)
        #expect(try await catalog.interruptedJobs(at: Self.t0.addingTimeInterval(61)).map(\.id) == [job.id])
        // Once its lease runs out another takes the job, where the first left it.
        let retaken = try #require(try await catalog.claimNextJob(
            worker: "w2", at: Self.t0.addingTimeInterval(61), leaseExpiry: Self.t0.addingTimeInterval(121)))
        #expect(retaken.claimedBy == "w2" && retaken.attempts == 2 && retaken.step == .indexed)
        #expect(retaken.progress == ["sha256": "ab", "caseID": Self.caseA.description])

        try await catalog.finishJob(job.id, outcome: .failed(reason: "manifest_mismatch"), at: Self.t0.addingTimeInterval(70))
        let finished = try #require(try await catalog.fetchJob(job.id))
        #expect(finished.state == .failed && finished.failure == "manifest_mismatch" && finished.claimedBy == nil)
        #expect(try await catalog.claimNextJob(worker: "w3", at: Self.t0.addingTimeInterval(500), leaseExpiry: Self.t0) == nil)
        await #expect(throws: CatalogError.unknownJob(999)) {
            try await catalog.finishJob(999, outcome: .done, at: Self.t0)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aRenewedLease_keepsTheJob_andALostOneSaysSo(_ implementation: CatalogImplementation) async throws {
        let catalog = try await implementation.makeEmpty().catalog
        let job = try await catalog.enqueueJob(NewIngestJob(sourceKey: "scan-01:/in/a0.tif", station: "scan-01", sourcePath: "/in/a0.tif"), at: Self.t0)
        _ = try #require(try await catalog.claimNextJob(worker: "node-a:1", at: Self.t0, leaseExpiry: Self.t0.addingTimeInterval(60)))
        // An A0 map normalizing for minutes: its worker renews the lease, so nobody takes the job over.
        #expect(try await catalog.renewLease(job.id, worker: "node-a:1", until: Self.t0.addingTimeInterval(110), at: Self.t0.addingTimeInterval(50)))
        #expect(try await catalog.claimNextJob(worker: "node-b:1", at: Self.t0.addingTimeInterval(100), leaseExpiry: Self.t0.addingTimeInterval(160)) == nil)
        // Node A stops renewing (it died): after the lease another node takes the job, and A's late renewal is refused.
        let taken = try #require(try await catalog.claimNextJob(worker: "node-b:1", at: Self.t0.addingTimeInterval(111),
                                                               leaseExpiry: Self.t0.addingTimeInterval(171)))
        #expect(taken.id == job.id && taken.claimedBy == "node-b:1")
        #expect(try await catalog.renewLease(job.id, worker: "node-a:1", until: Self.t0.addingTimeInterval(200), at: Self.t0.addingTimeInterval(112)) == false)
        #expect(try await catalog.fetchJob(job.id)?.leaseExpiry == Self.t0.addingTimeInterval(171))
    }
}
