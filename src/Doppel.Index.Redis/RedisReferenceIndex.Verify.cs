using Doppel.Engine.Index;
using StackExchange.Redis;

namespace Doppel.Index.Redis;

public sealed partial class RedisReferenceIndex
{
    private const int MaxProblems = 1000;

    /// <summary>
    /// Checks everything the index holds: the format key, every live entry against its record, every record's and
    /// text's checksum and length, the id, content-hash and alias maps against the records, and every posting list's
    /// chunks (checksums, and numbers no higher than any handed out). Map entries that name a number never made live
    /// are left by an add a failure interrupted and are not damage. Returns one line per problem.
    /// </summary>
    public IReadOnlyList<string> Verify() => Retry(() =>
    {
        var problems = new List<string>();
        int more = 0;
        void Report(string p)
        {
            if (problems.Count < MaxProblems) problems.Add(p);
            else more++;
        }
        void Try(Action a)
        {
            try
            {
                a();
            }
            catch (IndexException e) when (e.Problem != null)
            {
                Report(e.Problem);
            }
        }

        long seq = 0, committed = 0;
        Try(() => seq = ReadCounter(SeqKey));
        Try(() => committed = ReadCounter(CommittedKey));
        var live = new Dictionary<long, (int Keys, long Chars, long TextBytes)>();
        var liveShards = Enumerable.Range(0, LiveShards).Select(s => _db.HashGetAllAsync(LiveKey(s))).ToList();
        foreach (var t in liveShards)
            foreach (var e in Await(t))
                Try(() =>
                {
                    long number = ParseNumber(e.Name);
                    if (number <= 0) throw Damaged($"live entry '{e.Name}': not a document number");
                    live[number] = ParseLive(number, e.Value);
                });

        var records = new Dictionary<long, Record>();
        var numbers = live.Keys.ToList();
        var reads = numbers.Select(n => (Record: ReadRecordAsync(n), Text: _db.HashGetAsync(DocKey(n), ["id", "hash", "text", "tsum", "vtag", "vec", "vsum"]))).ToList();
        for (int i = 0; i < numbers.Count; i++)
        {
            long number = numbers[i];
            Try(() =>
            {
                var r = ParseRecord(number, Await(reads[i].Record)) ?? throw Damaged($"document {number}: live, but its record is missing");
                records[number] = r;
                var entry = live[number];
                if (r.Keys != entry.Keys || r.Chars != entry.Chars || r.TextBytes != entry.TextBytes)
                    throw Damaged($"document {number} ('{r.Id}'): its live entry does not match its record");
                if (number > committed) throw Damaged($"document {number} ('{r.Id}'): above the committed mark {committed}");
                var text = Await(reads[i].Text);
                if (text[2].IsNull || ((byte[])text[2]!).Length != r.TextBytes)
                    throw Damaged($"text of document {number} ('{r.Id}'): missing or not {r.TextBytes} bytes");
                if ((string?)text[3] != Num(TextSum(number, (byte[])text[2]!))) throw Damaged($"text of document {number} ('{r.Id}'): fails its checksum");
                if (!text[4].IsNull && (text[5].IsNull || text[6] != Num(VectorSum(number, (string)text[4]!, (byte[])text[5]!))))
                    throw Damaged($"vectors of document {number} ('{r.Id}'): fail their checksum");
            });
        }

        var idShards = Enumerable.Range(0, MapShards).Select(s => _db.HashGetAllAsync(IdKey(s))).ToList();
        var mapped = new HashSet<long>();
        foreach (var t in idShards)
            foreach (var e in Await(t))
            {
                long number = ParseNumber(e.Value);
                if (number < 0) Report($"id '{e.Name}': not a document number");
                else if (records.TryGetValue(number, out var r))
                {
                    if (r.Id != (string?)e.Name) Report($"id '{e.Name}': names document {number}, whose id is '{r.Id}'");
                    else mapped.Add(number);
                }
                else if (number > seq) Report($"id '{e.Name}': names document {number}, above every number handed out");
            }
        foreach (var r in records.Values)
            if (!mapped.Contains(r.Number)) Report($"document {r.Number} ('{r.Id}'): missing from the id map");

        Try(() =>
        {
            var aliasSets = records.Keys.ToDictionary(n => n, n => _db.SetMembersAsync(DocAliasKey(n)));
            foreach (var t in Enumerable.Range(0, MapShards).Select(s => _db.HashGetAllAsync(AliasKey(s))).ToList())
                foreach (var e in Await(t))
                    Try(() =>
                    {
                        long number = ParseAlias(e.Name!, e.Value);
                        if (!records.ContainsKey(number)) Report($"alias '{e.Name}': its document {number} is missing");
                        else if (!Await(aliasSets[number]).Contains(e.Name)) Report($"alias '{e.Name}': not among document {number}'s aliases");
                    });
        });

        const int Group = 4096;
        var sum = new RowChecksum();
        var unknown = new HashSet<long>();
        for (int from = 0; from < 1 << BucketBits; from += Group)
        {
            var buckets = Enumerable.Range(from, Group).Select(b => (Bucket: b, Task: _db.HashGetAllAsync(BucketKey(b)))).ToList();
            foreach (var (bucket, task) in buckets)
            {
                foreach (var e in Await(task))
                {
                    byte[] field = (byte[])e.Name!;
                    if (field.Length != 8) { Report($"posting bucket {bucket}: a field is not a key"); continue; }
                    long key = FieldKey(field);
                    if (BucketOf(key) != bucket) Report($"posting list of key {key:x16}: in bucket {bucket}, not {BucketOf(key)}");
                    byte[] value = (byte[])e.Value!;
                    if (value.Length == 1 && value[0] == (byte)'!') continue;
                    try
                    {
                        PostingChunks.Decode(key, value, sum, doc =>
                        {
                            if (doc > seq && unknown.Add(doc)) Report($"posting list of key {key:x16}: names document {doc}, above every number handed out");
                        });
                    }
                    catch (InvalidDataException ex)
                    {
                        Report($"posting list of key {key:x16} (bucket {bucket}): {ex.Message}");
                    }
                }
            }
        }
        if (more > 0) problems.Add($"{more} more problems not listed");
        return (IReadOnlyList<string>)problems;
    });
}
