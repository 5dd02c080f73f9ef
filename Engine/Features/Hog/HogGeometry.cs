using FashionCore.Internals;

namespace FashionCore.Features.Hog;

/// <summary>The cell and block grid of one (options, image size) pair, validated once.</summary>
internal readonly struct HogGeometry
{
    private HogGeometry(HogOptions options, int height, int width)
    {
        Height = height;
        Width = width;
        Orientations = options.Orientations;
        CellRows = options.PixelsPerCell.Rows;
        CellColumns = options.PixelsPerCell.Columns;
        BlockRows = options.CellsPerBlock.Rows;
        BlockColumns = options.CellsPerBlock.Columns;
        CellsDown = height / CellRows;
        CellsAcross = width / CellColumns;
        BlocksDown = CellsDown - BlockRows + 1;
        BlocksAcross = CellsAcross - BlockColumns + 1;
    }

    public int Height { get; }

    public int Width { get; }

    public int Orientations { get; }

    public int CellRows { get; }

    public int CellColumns { get; }

    public int BlockRows { get; }

    public int BlockColumns { get; }

    /// <summary>Cells per column of the grid (⌊H / cell rows⌋).</summary>
    public int CellsDown { get; }

    /// <summary>Cells per row of the grid (⌊W / cell columns⌋).</summary>
    public int CellsAcross { get; }

    public int BlocksDown { get; }

    public int BlocksAcross { get; }

    /// <summary>Floats per cell in the histogram scratch: the bins plus one trash slot for angles no bin holds.</summary>
    public int CellStride => Orientations + 1;

    /// <summary>Length of the histogram scratch (all cells, <see cref="CellStride"/> each).</summary>
    public int HistogramLength => CellsDown * CellsAcross * CellStride;

    /// <summary>Values per normalised block.</summary>
    public int BlockLength => BlockRows * BlockColumns * Orientations;

    public int OutputLength => BlocksDown * BlocksAcross * BlockLength;

    public int PixelCount => Height * Width;

    /// <summary>Validates the options and the image size.</summary>
    public static HogGeometry Create(HogOptions options, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (height < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange("imageHeight", height, "The image height must be at least 1.");
        }

        if (width < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange("imageWidth", width, "The image width must be at least 1.");
        }

        // Every stage indexes pixels with int arithmetic and copies images into arrays, so H·W must fit in one.
        long pixels = (long)height * width;
        if (pixels > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"A {height}x{width} image has {pixels} pixels, more than an array can hold ({Array.MaxLength}).",
                height >= width ? "imageHeight" : "imageWidth");
        }

        var geometry = new HogGeometry(options, height, width);
        if (geometry.BlocksDown < 1 || geometry.BlocksAcross < 1)
        {
            ThrowHelper.ThrowArgument(
                $"A {height}x{width} image has {geometry.CellsDown}x{geometry.CellsAcross} cells of {geometry.CellRows}x{geometry.CellColumns} pixels, " +
                $"too few for one block of {geometry.BlockRows}x{geometry.BlockColumns} cells (PixelsPerCell, CellsPerBlock).",
                height < geometry.BlockRows * geometry.CellRows ? "imageHeight" : "imageWidth");
        }

        // Options.Validate bounds the block length and the image holds at most Array.MaxLength pixels, but the cell
        // histogram (cells × (orientations + 1)) and the output (blocks × block length) multiply the two. The message
        // gives both factors; the parameter named is the larger one's, the image size or the options.
        long cells = (long)geometry.CellsDown * geometry.CellsAcross;
        long histogram = cells * geometry.CellStride;
        if (histogram > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"A {height}x{width} image has {cells} cells of {geometry.Orientations} orientations (plus a spare slot), {histogram} histogram values, " +
                $"more than an array can hold ({Array.MaxLength}).",
                cells >= geometry.CellStride ? (height >= width ? "imageHeight" : "imageWidth") : nameof(HogOptions.Orientations));
        }

        long blocks = (long)geometry.BlocksDown * geometry.BlocksAcross;
        long output = blocks * geometry.BlockLength;
        if (output > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"A {height}x{width} image has {blocks} blocks of {geometry.BlockLength} values (CellsPerBlock × Orientations), {output} features, " +
                $"more than an array can hold ({Array.MaxLength}).",
                blocks >= geometry.BlockLength ? (height >= width ? "imageHeight" : "imageWidth")
                : geometry.Orientations >= geometry.BlockRows * geometry.BlockColumns ? nameof(HogOptions.Orientations) : nameof(HogOptions.CellsPerBlock));
        }

        return geometry;
    }
}
