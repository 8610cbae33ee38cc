using System.Globalization;
using Doppel.CollectionBench;

// collection-bench generate DIR DOCUMENTS [SEED] [WORDS]   -> DIR/docs/*.txt, DIR/prompt.txt, DIR/truth.csv, DIR/groups.csv
// collection-bench score DIR/truth.csv PAIRS.csv [MIN_SHARED]  -> planted-pair recall and false-pair rate
// collection-bench clough LABELS.csv PAIRS.csv                 -> Clough-Stevenson per-class coverage and AUCs
if (args.Length >= 3 && args[0] == "generate")
{
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    int seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20261121;
    int words = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
    new Generator(n, seed, words).Write(args[1]);
    Console.WriteLine($"generated {n} essays of about {words} words (seed {seed}) in {args[1]}");
    return 0;
}
if (args.Length >= 3 && args[0] == "score")
{
    int minShared = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
    Console.Write(Scorer.Score(args[1], args[2], minShared));
    return 0;
}
if (args.Length == 3 && args[0] == "clough")
{
    Console.Write(Clough.Score(args[1], args[2]));
    return 0;
}
Console.Error.WriteLine("usage: collection-bench generate DIR DOCUMENTS [SEED] [WORDS] | score TRUTH.csv PAIRS.csv [MIN_SHARED] | clough LABELS.csv PAIRS.csv");
return 2;
