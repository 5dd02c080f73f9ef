using System.Buffers.Binary;
using System.Security.Cryptography;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Persistence;

namespace FashionCore.Tests.Persistence;

public class ModelFileTests
{
    private static readonly float[] s_x = [.. Enumerable.Range(0, 40 * 7).Select(i => (float)((i * 7919 % 1000) / 3.0))];

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("fashioncore-model-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<TestCaseData> Models()
    {
        var x = new ReadOnlyMemory2D<float>(s_x, 40, 7);
        yield return new TestCaseData(new StandardScaler().Fit(x)).SetArgDisplayNames("standard");
        yield return new TestCaseData(new StandardScaler(new StandardScalerOptions { WithMean = false }).Fit(x)).SetArgDisplayNames("standard-no-mean");
        yield return new TestCaseData(new MinMaxScaler(new MinMaxScalerOptions { RangeMin = -2, RangeMax = 3 }).Fit(x)).SetArgDisplayNames("minmax");
        yield return new TestCaseData(new PixelScaler().Fit(x)).SetArgDisplayNames("x255");
    }

    [TestCaseSource(nameof(Models))]
    public void SaveThenLoad_GivesIdenticalTransform(ITransformer model)
    {
        string path = Path.Combine(_dir, "m.fcm");
        ModelFile.Save(path, model);

        ITransformer loaded = ModelFile.Load<ITransformer>(path);

        Assert.That(loaded.GetType(), Is.EqualTo(model.GetType()));
        float[] expected = new float[s_x.Length];
        float[] actual = new float[s_x.Length];
        model.Transform(new ReadOnlySpan2D<float>(s_x, 40, 7), new Span2D<float>(expected, 40, 7));
        loaded.Transform(new ReadOnlySpan2D<float>(s_x, 40, 7), new Span2D<float>(actual, 40, 7));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file left behind");
        Assert.That(ModelFile.ToBytes(loaded), Is.EqualTo(File.ReadAllBytes(path)), "saving is deterministic");
    }

    [Test]
    public void Load_TruncatedFile_SaysTruncated()
    {
        byte[] bytes = ModelFile.ToBytes(StandardModel());
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes[..^10], "m.fcm"));
        Assert.That(e!.Message, Does.StartWith("m.fcm: header says the payload has"));
    }

    [Test]
    public void Load_FlippedPayloadByte_SaysChecksumMismatch()
    {
        byte[] bytes = ModelFile.ToBytes(StandardModel());
        bytes[ModelFormat.HeaderLength + 30] ^= 0x10;
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "m.fcm"));
        Assert.That(e!.Message, Is.EqualTo("m.fcm: checksum mismatch: the file is corrupted."));
    }

    [TestCase(3)]
    [TestCase(0)]
    public void Load_VersionOutsideTheReadableRange_SaysVersionUnsupported(int version)
    {
        byte[] bytes = ModelFile.ToBytes(StandardModel());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)version);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "m.fcm"));
        Assert.That(e!.Message, Does.Contain($"model format version {version} is not supported (this FashionCore reads versions 1 to 2)"));
    }

    [Test]
    public void Load_NotAModelFile_SaysSo()
    {
        string path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "just some text, long enough to hold a header and a checksum and more");
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.That(e!.Message, Is.EqualTo($"{path}: not a FashionCore model file (magic bytes differ)."));
    }

    [Test]
    public void LoadT_OtherModelType_SaysWhatItHolds()
    {
        string path = Path.Combine(_dir, "m.fcm");
        ModelFile.Save(path, StandardModel());
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<MinMaxScalerModel>(path));
        Assert.That(e!.Message, Does.Contain("holds a StandardScalerModel, not a MinMaxScalerModel"));
    }

    [Test]
    public void Save_UnregisteredType_ThrowsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => ModelFile.Save(Path.Combine(_dir, "m"), new object()));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    /// <summary>
    /// Thousands of seeded corruptions. Half keep a valid checksum (re-hashed after mutating the payload) so the
    /// parser itself meets garbage: every outcome is a valid model or <see cref="InvalidDataException"/>.
    /// </summary>
    [Test]
    public void Load_SeededCorruptions_OnlyValidModelOrInvalidData()
    {
        byte[][] valid = [ModelFile.ToBytes(StandardModel()), ModelFile.ToBytes(new MinMaxScaler().Fit(new ReadOnlyMemory2D<float>(s_x, 40, 7)))];
        var random = new Random(2024);
        int rejected = 0, parsedRehashed = 0, rejectedRehashed = 0;
        for (int iteration = 0; iteration < 4000; iteration++)
        {
            byte[] bytes = (byte[])valid[iteration % 2].Clone();
            bool rehash = random.Next(2) == 0;
            switch (random.Next(3))
            {
                case 0:
                    bytes = bytes[..random.Next(bytes.Length)];
                    rehash = false;
                    break;
                case 1:
                    for (int f = random.Next(1, 4); f > 0; f--)
                    {
                        bytes[random.Next(bytes.Length - ModelFormat.HashLength)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                default:
                    // Overwrite an int32-sized run of the payload (often a count) with a random value.
                    int at = ModelFormat.HeaderLength + random.Next(bytes.Length - ModelFormat.HeaderLength - ModelFormat.HashLength - 4);
                    random.NextBytes(bytes.AsSpan(at, 4));
                    break;
            }

            if (rehash && bytes.Length >= ModelFormat.HeaderLength + ModelFormat.HashLength)
            {
                int hashed = bytes.Length - ModelFormat.HashLength;
                SHA256.HashData(bytes.AsSpan(0, hashed), bytes.AsSpan(hashed));
            }

            bool checksumValid = rehash && bytes.Length >= ModelFormat.HeaderLength + ModelFormat.HashLength;
            try
            {
                ModelFile.FromBytes(bytes, "fuzz");
                parsedRehashed += checksumValid ? 1 : 0;
            }
            catch (InvalidDataException)
            {
                rejected++;
                rejectedRehashed += checksumValid ? 1 : 0;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration}: {e.GetType().Name}: {e.Message}");
            }
        }

        // Truncations and unrehashed flips fail the checksum; the re-hashed ones reach the parser, which must both
        // reject garbage (counts, tags, impossible values) and still read values it cannot tell from real ones.
        TestContext.Out.WriteLine($"rejected {rejected}; checksum-valid: parsed {parsedRehashed}, rejected {rejectedRehashed}");
        Assert.That(rejected, Is.GreaterThan(2000));
        Assert.That(rejectedRehashed, Is.GreaterThan(100), "checksum-valid corruptions the parser rejected");
        Assert.That(parsedRehashed, Is.GreaterThan(0), "checksum-valid corruptions that still parse");
    }

    [Test]
    public void Load_UnionsNested100000Deep_ThrowsInvalidDataInsteadOfOverflowingTheStack()
    {
        // 2.7 MB with a valid checksum: each level is a one-part union (reading recursed once per level).
        byte[] bytes = NestedUnions(100_000);

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "deep.fcm"));

        Assert.That(e!.Message, Does.StartWith("deep.fcm: models are nested more than 64 deep"));
    }

    [Test]
    public void Load_NestingAtTheLimit_LoadsAndOneMoreLevelThrows()
    {
        // 63 unions around a scaler are 64 models deep.
        Assert.That(ModelFile.FromBytes(NestedUnions(ModelFormat.MaxNestingDepth - 1), "ok.fcm"), Is.TypeOf<FeatureUnionModel>());
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(NestedUnions(ModelFormat.MaxNestingDepth), "deep.fcm"));
        Assert.That(e!.Message, Does.Contain("nested more than 64 deep"));
    }

    [Test]
    public void Save_ModelNestedDeeperThanFilesAllow_ThrowsNamingModel()
    {
        ITransformer model = new PixelScalerModel(1);
        for (int i = 0; i < ModelFormat.MaxNestingDepth - 1; i++)
        {
            model = new FeatureUnionModel(["u"], [model]);
        }

        Assert.That(ModelFile.FromBytes(ModelFile.ToBytes(model), "ok.fcm"), Is.TypeOf<FeatureUnionModel>(), "64 levels save and load");
        ArgumentException? e = Assert.Throws<ArgumentException>(() => ModelFile.ToBytes(new FeatureUnionModel(["u"], [model])));
        Assert.That(e!.ParamName, Is.EqualTo("model"));
        Assert.That(e.Message, Does.Contain("nested more than 64 deep"));
    }

    [TestCase(double.NaN, 0.0, 1, "'centers' contains NaN at centre 0, column 0")]
    [TestCase(0.0, -1.0, 1, "inertia")]
    [TestCase(0.0, 0.0, -7, "iterations")]
    public void Load_KMeansWithNonFiniteCentreOrNegativeFacts_ThrowsInvalidDataNamingIt(double centre, double inertia, int iterations, string problem)
    {
        byte[] bytes = FileWith(w =>
        {
            w.WriteString("models.kmeans");
            w.WriteInt32(1);
            w.WriteDoubles([centre, 1]);
            w.WriteInt32s([]);
            w.WriteDouble(inertia);
            w.WriteInt32(iterations);
        });

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "km.fcm"));

        Assert.That(e!.Message, Does.StartWith("km.fcm: inconsistent 'models.kmeans' model:").And.Contain(problem));
    }

    [Test]
    public void Load_LogisticRegressionWithThreeClassesButOneDecisionRow_ThrowsInvalidData()
    {
        // Probability column 2 was always 0 and the argmax never reached class 2.
        byte[] bytes = LogisticFile(classes: [0, 1, 2], coef: [1, 2], intercept: [0.5]);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "lr.fcm"));
        Assert.That(e!.Message, Does.StartWith("lr.fcm: 2 coefficients and 1 intercepts do not fit 3 classes"));
    }

    [Test]
    public void Load_LogisticRegressionWithUnsortedOrDuplicateClasses_ThrowsInvalidData()
    {
        byte[] bytes = LogisticFile(classes: [2, 2, 0], coef: [1, 2, 3], intercept: [0, 0, 0], iterations: [3, 3, 3]);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "lr.fcm"));
        Assert.That(e!.Message, Does.StartWith("lr.fcm: inconsistent 'models.logreg' model:").And.Contain("'classes' must be sorted and distinct").And.Contain("classes[1] = 2 follows 2"));
    }

    [Test]
    public void Load_LogisticRegressionWithNaNCoefficientOrInfiniteIntercept_ThrowsInvalidData()
    {
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(LogisticFile(classes: [0, 1], coef: [double.NaN], intercept: [0]), "lr.fcm"));
        Assert.That(e!.Message, Does.Contain("'coef' contains NaN at decision row 0, column 0"));
        e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(LogisticFile(classes: [0, 1], coef: [1], intercept: [double.PositiveInfinity]), "lr.fcm"));
        Assert.That(e!.Message, Does.Contain("'intercept' contains"));
    }

    [Test]
    public void Load_LogisticRegressionWithWrongPerProblemCountsOrNegativeIterations_ThrowsInvalidData()
    {
        // Two classes are one problem; empty arrays made Converged true with nothing fitted.
        byte[] empty = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], iterations: [], converged: [], change: []);
        Assert.That(Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(empty, "lr.fcm"))!.Message, Does.Contain("1 fitted problem(s) need"));
        byte[] negative = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], iterations: [-4]);
        Assert.That(Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(negative, "lr.fcm"))!.Message, Does.Contain("'iterations' contains -4"));
    }

    // Two classes are one decision row either way, so only this check notices a flag that would switch predict_proba
    // between σ(z) (one-vs-rest) and σ(2z) (multinomial).
    [TestCase(LogisticRegressionMultiClass.Ovr, true)]
    [TestCase(LogisticRegressionMultiClass.Auto, true)]
    [TestCase(LogisticRegressionMultiClass.Multinomial, false)]
    public void Load_LogisticRegressionWithMultinomialFlagAgainstItsOptions_ThrowsInvalidData(LogisticRegressionMultiClass multiClass, bool multinomial)
    {
        byte[] bytes = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], multiClass: multiClass, multinomial: multinomial);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "lr.fcm"));
        Assert.That(e!.Message, Does.Contain($"the multinomial flag ({multinomial}) disagrees with MultiClass={multiClass} for 2 classes"));
        byte[] consistent = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], multiClass: multiClass, multinomial: !multinomial);
        Assert.That(((LogisticRegressionModel)ModelFile.FromBytes(consistent, "lr.fcm")).Classes.Length, Is.EqualTo(2));
    }

    [Test]
    public void Load_VersionOneLogisticRegression_ReadsAsDrawnWithReplacement()
    {
        // Version 1 had no sample-order field: every model it wrote was fitted with sklearn's draws.
        byte[] bytes = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], version: 1);
        var model = (LogisticRegressionModel)ModelFile.FromBytes(bytes, "lr.fcm");
        Assert.That(model.Options.SampleOrder, Is.EqualTo(LogisticRegressionSampleOrder.WithReplacement));
        Assert.That(model.Options.RandomState, Is.EqualTo(0u));
        Assert.That(model.Iterations.ToArray(), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void Load_LogisticRegressionWithUnknownSampleOrder_ThrowsInvalidData()
    {
        byte[] bytes = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], sampleOrder: 7);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "lr.fcm"));
        Assert.That(e!.Message, Does.StartWith("lr.fcm: 7 is not a LogisticRegressionSampleOrder"));
        var shuffled = (LogisticRegressionModel)ModelFile.FromBytes(LogisticFile(classes: [0, 1], coef: [1], intercept: [0], sampleOrder: 1), "lr.fcm");
        Assert.That(shuffled.Options.SampleOrder, Is.EqualTo(LogisticRegressionSampleOrder.Shuffled));
    }

    [Test]
    public void Load_LogisticRegressionWithSagAndShuffledOrder_ThrowsInvalidData()
    {
        byte[] bytes = LogisticFile(classes: [0, 1], coef: [1], intercept: [0], sampleOrder: 1, solver: LogisticRegressionSolver.Sag);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "lr.fcm"));
        Assert.That(e!.Message, Does.StartWith("lr.fcm: ").And.Contain("SampleOrder=Shuffled is for Solver=Saga"));
    }

    [Test]
    public void Load_LogisticRegressionFileOfAFittedModel_StillLoads()
    {
        byte[] bytes = LogisticFile(classes: [-5, 0, 7], coef: [1, 2, 3], intercept: [0, 0, 0], iterations: [3, 4, 5], converged: [1, 1, 0], change: [0, 0, 0.1]);
        var model = (LogisticRegressionModel)ModelFile.FromBytes(bytes, "lr.fcm");
        Assert.That(model.Classes.ToArray(), Is.EqualTo(new[] { -5, 0, 7 }));
    }

    [TestCase("mean", "mean[0] = NaN must be finite")]
    [TestCase("components", "components[1] = ∞ must be finite")]
    [TestCase("variance", "explained variance[0] = -3 must be finite and at least 0")]
    [TestCase("ratio", "explained variance ratio[0] = 2 must be within [0, 1.000000001]")]
    [TestCase("singular", "singular values[0] = NaN must be finite and at least 0")]
    public void Load_PcaWithImpossibleValue_ThrowsInvalidDataNamingIt(string broken, string problem)
    {
        byte[] bytes = FileWith(w =>
        {
            w.WriteString("features.pca");
            w.WriteBoolean(true);
            w.WriteInt32(1);
            w.WriteBoolean(false);
            w.WriteDouble(0);
            w.WriteBoolean(false);
            w.WriteInt32(-1);
            w.WriteInt32(5);
            w.WriteDoubles([broken == "mean" ? double.NaN : 0, 0]);
            w.WriteInt32(1);
            w.WriteDoubles([1, broken == "components" ? double.PositiveInfinity : 0]);
            w.WriteDoubles([broken == "variance" ? -3 : 1]);
            w.WriteDoubles([broken == "ratio" ? 2 : 0.5]);
            w.WriteDoubles([broken == "singular" ? double.NaN : 2]);
        });

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "pca.fcm"));

        Assert.That(e!.Message, Does.StartWith("pca.fcm: " + problem.Replace("∞", double.PositiveInfinity.ToString(), StringComparison.Ordinal)));
    }

    [TestCase("scale", double.NaN, "scale[0] = NaN must be finite and at least")]
    [TestCase("scale", 0.0, "scale[0] = 0 must be finite and at least")]
    [TestCase("min", double.NegativeInfinity, "data min[0] = -")]
    [TestCase("max", -1.0, "data min[0] = 0 is above data max[0] = -1")]
    public void Load_MinMaxScalerWithImpossibleValue_ThrowsInvalidDataNamingIt(string broken, double value, string problem)
    {
        byte[] bytes = FileWith(w =>
        {
            w.WriteString("scaling.minmax");
            w.WriteDouble(0);
            w.WriteDouble(1);
            w.WriteDoubles([broken == "min" ? value : 0]);
            w.WriteDoubles([broken == "max" ? value : 1]);
            w.WriteDoubles([broken == "scale" ? value : 1]);
            w.WriteDoubles([0]);
        });

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "mm.fcm"));

        Assert.That(e!.Message, Does.StartWith("mm.fcm: " + problem));
    }

    [Test]
    public void Load_StandardScalerWithNaNMeanOrNegativeVariance_ThrowsInvalidData()
    {
        static byte[] Standard(double mean, double variance) => FileWith(w =>
        {
            w.WriteString("scaling.standard");
            w.WriteBoolean(true);
            w.WriteBoolean(true);
            w.WriteInt32(3);
            w.WriteDoubles([mean]);
            w.WriteDoubles([variance]);
            w.WriteDoubles([1]);
        });

        Assert.That(Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(Standard(double.NaN, 1), "s.fcm"))!.Message, Does.StartWith("s.fcm: mean[0] = NaN must be finite"));
        Assert.That(Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(Standard(0, -1), "s.fcm"))!.Message, Does.StartWith("s.fcm: variance[0] = -1 must be finite and at least 0"));
    }

    [TestCase("a", "A", "is used twice")]
    [TestCase("a.b", "c", "must be non-empty and contain neither")]
    public void Load_FeatureUnionWithDuplicateOrDottedPartNames_ThrowsInvalidData(string first, string second, string problem)
    {
        byte[] bytes = FileWith(w =>
        {
            w.WriteString("features.union");
            w.WriteStrings([first, second]);
            w.WriteModel(new PixelScalerModel(2));
            w.WriteModel(new PixelScalerModel(2));
        });

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => ModelFile.FromBytes(bytes, "u.fcm"));

        Assert.That(e!.Message, Does.StartWith("u.fcm: inconsistent 'features.union' model:").And.Contain(problem));
    }

    /// <summary>A model file (valid header and checksum) around the payload <paramref name="write"/> writes.</summary>
    internal static byte[] FileWith(Action<ModelWriter> write, ushort version = ModelFormat.Version)
    {
        var writer = new ModelWriter();
        write(writer);
        ReadOnlySpan<byte> payload = writer.WrittenSpan;
        byte[] file = new byte[ModelFormat.HeaderLength + payload.Length + ModelFormat.HashLength];
        ModelFormat.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), payload.Length);
        payload.CopyTo(file.AsSpan(ModelFormat.HeaderLength));
        int hashed = file.Length - ModelFormat.HashLength;
        SHA256.HashData(file.AsSpan(0, hashed), file.AsSpan(hashed));
        return file;
    }

    // A logistic regression body as its serializer writes it (L2, SAGA unless given, seed 0, drawn with replacement),
    // one problem unless given; version 1 without the sample order.
    private static byte[] LogisticFile(
        int[] classes, double[] coef, double[] intercept, int[]? iterations = null, int[]? converged = null, double[]? change = null,
        LogisticRegressionMultiClass multiClass = LogisticRegressionMultiClass.Ovr, bool multinomial = false, int sampleOrder = 0,
        ushort version = ModelFormat.Version, LogisticRegressionSolver solver = LogisticRegressionSolver.Saga)
    {
        return FileWith(Write, version);

        void Write(ModelWriter w)
        {
            w.WriteString("models.logreg");
            w.WriteInt32((int)LogisticRegressionPenalty.L2);
            w.WriteDouble(1.0);
            w.WriteBoolean(true);
            w.WriteInt32((int)solver);
            w.WriteInt32((int)multiClass);
            w.WriteInt32(100);
            w.WriteDouble(1e-4);
            w.WriteBoolean(false);
            w.WriteDouble(0);
            w.WriteBoolean(true);
            w.WriteInt64(0);
            if (version >= 2)
            {
                w.WriteInt32(sampleOrder);
            }

            w.WriteBoolean(multinomial);
            w.WriteInt32s(classes);
            w.WriteInt32(coef.Length / intercept.Length);
            w.WriteDoubles(coef);
            w.WriteDoubles(intercept);
            iterations ??= [3];
            w.WriteInt32s(iterations);
            w.WriteInt32s(converged ?? [.. iterations.Select(_ => 1)]);
            w.WriteDoubles(change ?? [.. iterations.Select(_ => 0.0)]);
        }
    }

    private static byte[] NestedUnions(int unions) => FileWith(w =>
    {
        for (int i = 0; i < unions; i++)
        {
            w.WriteString("features.union");
            w.WriteStrings(["u"]);
        }

        w.WriteString("scaling.x255");
        w.WriteInt32(1);
    });

    private static StandardScalerModel StandardModel() => new StandardScaler().Fit(new ReadOnlyMemory2D<float>(s_x, 40, 7));
}
