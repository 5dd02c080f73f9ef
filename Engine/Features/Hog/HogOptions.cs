using FashionCore.Internals;

namespace FashionCore.Features.Hog;

/// <summary>Options of the histogram-of-oriented-gradients transform (scikit-image <c>skimage.feature.hog</c>).</summary>
/// <remarks>
/// Defaults are scikit-image 0.19.3's. Cells tile the image from the top-left corner; blocks slide one cell at a time:
/// <code>
///   image H×W ─► cells ⌊H/rows⌋ × ⌊W/cols⌋ (trailing pixels feed gradients only)
///            ─► blocks (cells − cellsPerBlock + 1) per axis, each CellsPerBlock.Rows × CellsPerBlock.Columns cells
///   output index = (((blockRow·nBlockCols + blockCol)·cpbRows + i)·cpbCols + j)·Orientations + bin
/// </code>
/// </remarks>
public sealed record HogOptions
{
    /// <summary>Number of unsigned orientation bins over [0°, 180°) (skimage <c>orientations</c>); default 9.</summary>
    public int Orientations { get; init; } = 9;

    /// <summary>Cell size in pixels, (rows, columns) (skimage <c>pixels_per_cell</c>); default (8, 8).</summary>
    public (int Rows, int Columns) PixelsPerCell { get; init; } = (8, 8);

    /// <summary>Block size in cells, (rows, columns) (skimage <c>cells_per_block</c>); default (3, 3).</summary>
    public (int Rows, int Columns) CellsPerBlock { get; init; } = (3, 3);

    /// <summary>Block normalisation (skimage <c>block_norm</c>); default <see cref="HogBlockNorm.L2Hys"/>.</summary>
    public HogBlockNorm BlockNorm { get; init; } = HogBlockNorm.L2Hys;

    /// <summary>Replace every pixel by its square root first (skimage <c>transform_sqrt</c>); default false.</summary>
    public bool TransformSqrt { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or one block (Orientations × CellsPerBlock)
    /// would exceed the maximum array length; the parameter name is the option's.</exception>
    public void Validate()
    {
        if (Orientations < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Orientations), Orientations, "Orientations must be at least 1.");
        }

        if (PixelsPerCell.Rows < 1 || PixelsPerCell.Columns < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(PixelsPerCell), PixelsPerCell, "PixelsPerCell rows and columns must be at least 1.");
        }

        if (CellsPerBlock.Rows < 1 || CellsPerBlock.Columns < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(CellsPerBlock), CellsPerBlock, "CellsPerBlock rows and columns must be at least 1.");
        }

        if (!Enum.IsDefined(BlockNorm))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(BlockNorm), BlockNorm, "BlockNorm must be L1, L1Sqrt, L2 or L2Hys.");
        }

        // One block's values are normalised in one buffer, whatever the image size; the larger factor is to blame.
        // In 128 bits: three ints' product can wrap a long (2^22 · 2^21 · 2^21 is 0 modulo 2^64).
        Int128 blockLength = (Int128)Orientations * CellsPerBlock.Rows * CellsPerBlock.Columns;
        if (blockLength > Array.MaxLength)
        {
            if (Orientations >= (long)CellsPerBlock.Rows * CellsPerBlock.Columns)
            {
                ThrowHelper.ThrowArgumentOutOfRange(
                    nameof(Orientations), Orientations, $"A block of {CellsPerBlock} cells with {Orientations} orientations holds {blockLength} values, more than an array can ({Array.MaxLength}).");
            }

            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(CellsPerBlock), CellsPerBlock, $"A block of {CellsPerBlock} cells with {Orientations} orientations holds {blockLength} values, more than an array can ({Array.MaxLength}).");
        }
    }

    /// <summary>Number of features for an image of the given size.</summary>
    /// <param name="imageHeight">Image rows.</param>
    /// <param name="imageWidth">Image columns.</param>
    /// <returns>(⌊H/ppcRows⌋ − cpbRows + 1)·(⌊W/ppcCols⌋ − cpbCols + 1)·cpbRows·cpbCols·Orientations.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a size is below 1.</exception>
    /// <exception cref="ArgumentException">The image is too small to hold one block, or its pixels, cell histograms or
    /// features would exceed the maximum array length.</exception>
    public int GetOutputLength(int imageHeight, int imageWidth) => HogGeometry.Create(this, imageHeight, imageWidth).OutputLength;
}
