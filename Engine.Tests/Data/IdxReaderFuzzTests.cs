using FashionCore.Data;

namespace FashionCore.Tests.Data;

/// <summary>
/// Seeded corruptions of valid files written by <see cref="IdxWriter"/>: every outcome must be a valid parse or an
/// <see cref="InvalidDataException"/> — never another exception type, a hang, or a huge allocation.
/// </summary>
public class IdxReaderFuzzTests
{
    private const int Iterations = 3000;

    [TestCase(false)]
    [TestCase(true)]
    public void ReadImages_RandomTruncationsAndHeaderFlips_OnlyParseOrInvalidData(bool gzip)
    {
        byte[] valid = ValidFile(images: true, gzip);
        RunFuzz(valid, gzip, seed: gzip ? 11 : 7, s => IdxReader.ReadImages(s, "fuzz"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ReadLabels_RandomTruncationsAndHeaderFlips_OnlyParseOrInvalidData(bool gzip)
    {
        byte[] valid = ValidFile(images: false, gzip);
        RunFuzz(valid, gzip, seed: gzip ? 13 : 17, s => IdxReader.ReadLabels(s, "fuzz"));
    }

    private static void RunFuzz(byte[] valid, bool gzip, int seed, Action<Stream> read)
    {
        var random = new Random(seed);
        int parsed = 0;
        int rejected = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] mutated = Mutate(valid, gzip, random);
            try
            {
                read(new MemoryStream(mutated));
                parsed++;
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration}: {e.GetType().Name}: {e.Message}\nbytes: {Convert.ToHexString(mutated.AsSpan(0, Math.Min(32, mutated.Length)))}");
            }
        }

        // Both outcomes occur, so the mutations really do reach the validation paths and the happy path.
        Assert.That(rejected, Is.GreaterThan(Iterations / 4));
        Assert.That(parsed, Is.GreaterThan(0));
    }

    private static byte[] Mutate(byte[] valid, bool gzip, Random random)
    {
        byte[] content = gzip ? Decompress(valid) : (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:
                // Truncate anywhere (of the stored bytes, compressed or not).
                byte[] stored = gzip ? valid : content;
                return stored[..random.Next(stored.Length)];
            case 1:
            case 2:
                // Flip 1–3 random bits in the header (the decompressed header for gzip files).
                int flips = random.Next(1, 4);
                int headerLength = Math.Min(16, content.Length);
                for (int f = 0; f < flips; f++)
                {
                    content[random.Next(headerLength)] ^= (byte)(1 << random.Next(8));
                }

                break;
            default:
                // Replace a whole header size field with a random (often huge) value.
                int field = 4 * random.Next(1, Math.Max(2, Math.Min(16, content.Length) / 4));
                if (field + 4 <= content.Length)
                {
                    random.NextBytes(content.AsSpan(field, 4));
                }

                break;
        }

        return gzip ? IdxReaderValidationTests.Gzip(content) : content;
    }

    private static byte[] ValidFile(bool images, bool gzip)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-fuzz-{Guid.NewGuid():N}{(gzip ? ".gz" : "")}");
        try
        {
            if (images)
            {
                IdxWriter.WriteImages(path, [.. Enumerable.Range(0, 6 * 28 * 28).Select(i => (byte)(i * 7))], 6, 28, 28);
            }
            else
            {
                IdxWriter.WriteLabels(path, [.. Enumerable.Range(0, 50).Select(i => (byte)(i % 10))]);
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
