namespace Doppel.Engine.Collection;

/// <summary>
/// In-memory inverted index of the collection's fingerprints: for each distinct hash, the documents holding it
/// (each once). Built by one sort of all (hash, document) entries; stored as flat arrays (no dictionaries), with
/// each document's own fingerprints mapped to their group so no lookup is needed afterwards.
/// </summary>
public sealed class FingerprintIndex
{
    /// <summary>Distinct hashes, sorted.</summary>
    public ulong[] GroupHash { get; }
    /// <summary>Documents of group g: GroupDocs[GroupStart[g]..GroupStart[g+1]], ascending.</summary>
    public int[] GroupStart { get; }
    public int[] GroupDocs { get; }
    /// <summary>Groups of document d: DocGroups[DocStart[d]..DocStart[d+1]].</summary>
    public int[] DocStart { get; }
    public int[] DocGroups { get; }

    public int GroupCount => GroupHash.Length;
    public int DocFrequency(int g) => GroupStart[g + 1] - GroupStart[g];

    private FingerprintIndex(ulong[] groupHash, int[] groupStart, int[] groupDocs, int[] docStart, int[] docGroups)
    {
        GroupHash = groupHash;
        GroupStart = groupStart;
        GroupDocs = groupDocs;
        DocStart = docStart;
        DocGroups = docGroups;
    }

    public static FingerprintIndex Build(IReadOnlyList<ulong[]> distinctPerDoc)
    {
        int n = distinctPerDoc.Count;
        var docStart = new int[n + 1];
        for (int d = 0; d < n; d++) docStart[d + 1] = checked(docStart[d] + distinctPerDoc[d].Length);
        int total = docStart[n];
        var keys = new ulong[total];
        var entry = new int[total];
        for (int d = 0; d < n; d++)
        {
            distinctPerDoc[d].CopyTo(keys, docStart[d]);
            for (int k = docStart[d]; k < docStart[d + 1]; k++) entry[k] = k;
        }
        // Entries of one document are contiguous and ascending, so sorting (hash, entry) keeps documents ascending
        // within a group once ties are broken by entry.
        Array.Sort(keys, entry);
        SortTiesByEntry(keys, entry);

        var entryDoc = new int[total];
        for (int d = 0; d < n; d++)
            for (int k = docStart[d]; k < docStart[d + 1]; k++) entryDoc[k] = d;

        var groupHash = new List<ulong>(total / 2);
        var groupStartList = new List<int>(total / 2 + 1);
        var groupDocs = new int[total];
        var docGroups = new int[total];
        for (int i = 0; i < total; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                groupHash.Add(keys[i]);
                groupStartList.Add(i);
            }
            groupDocs[i] = entryDoc[entry[i]];
            docGroups[entry[i]] = groupHash.Count - 1;
        }
        groupStartList.Add(total);
        return new FingerprintIndex(groupHash.ToArray(), groupStartList.ToArray(), groupDocs, docStart, docGroups);
    }

    private static void SortTiesByEntry(ulong[] keys, int[] entry)
    {
        for (int i = 0; i < keys.Length;)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(entry, i, j - i);
            i = j;
        }
    }

    /// <summary>Group of a hash, or -1.</summary>
    public int Find(ulong hash)
    {
        int i = Array.BinarySearch(GroupHash, hash);
        return i >= 0 ? i : -1;
    }
}
