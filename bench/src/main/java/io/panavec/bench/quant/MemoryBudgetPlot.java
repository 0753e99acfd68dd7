package io.panavec.bench.quant;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory-budget plot: recall@10 against bytes per vector in RAM (log scale), one panel per query set with
 * its own recall range, every point labelled with its method; labels are placed so that none overlaps another
 * label or a point (a leader line joins a moved label to its point).
 *
 * <p>{@code MemoryBudgetPlot <report.md> <out.png>} redraws the plot from a report's table.
 */
public final class MemoryBudgetPlot {
    /** One measured method on one query set. */
    public record Point(String method, String querySet, double bytesInRam, double recall) {}

    private static final int WIDTH = 1300, PANEL_HEIGHT = 430, MARGIN_LEFT = 90, MARGIN_RIGHT = 30;
    private static final double X_MIN = 32, X_MAX = 2048;
    private static final String X_LABEL = "bytes per vector in RAM (log scale; float32 = 1536 at dimension 384)";
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728)};

    private MemoryBudgetPlot() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MemoryBudgetPlot <report.md> <out.png>");
            System.exit(2);
        }
        write(Path.of(args[1]), fromReport(Path.of(args[0])), "recall@10 at re-rank depth 50, ef 64");
    }

    /** The rows of a MemoryBudgetReport table: method, query set, bytes/vector in RAM, recall@10 (fixed). */
    static List<Point> fromReport(Path md) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(md)) {
            String[] c = line.split("\\|");
            if (c.length < 8 || !c[4].trim().matches("\\d+(\\.\\d+)? \\(.*\\)")) continue;
            points.add(new Point(c[1].trim(), c[2].trim(), Double.parseDouble(c[4].trim().split(" ")[0]), Double.parseDouble(c[6].trim())));
        }
        if (points.isEmpty()) throw new IOException(md + " has no memory-budget table rows");
        return points;
    }

    static void write(Path png, List<Point> points, String what) throws IOException {
        write(png, points, what, X_LABEL, X_MIN, X_MAX, set -> "recall@10, " + set);
    }

    /**
     * The plot with its own x axis ({@code xLabel}, log scale from {@code xMin} to {@code xMax}) and one panel per
     * {@link Point#querySet()}, its y axis named {@code yLabel.apply(querySet)}.
     */
    public static void write(Path png, List<Point> points, String what, String xLabel, double xMin, double xMax,
                             java.util.function.Function<String, String> yLabel) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Point>> bySet = new LinkedHashMap<>();
        for (Point p : points) bySet.computeIfAbsent(p.querySet(), s -> new ArrayList<>()).add(p);

        LogAxis x = new LogAxis(xLabel);
        x.setBase(2);
        x.setAutoTickUnitSelection(false);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new DecimalFormat("#,##0"));
        x.setRange(xMin, xMax);
        x.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(18);
        int set = 0;
        for (Map.Entry<String, List<Point>> e : bySet.entrySet()) {
            combined.add(panel(yLabel.apply(e.getKey()), e.getValue(), COLORS[set++ % COLORS.length], xMin, xMax), 1);
        }
        JFreeChart chart = new JFreeChart("Memory budget: " + what, new Font(Font.SANS_SERIF, Font.BOLD, 18), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(8, 8, 8, 28)); // room for the last x tick label
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, PANEL_HEIGHT * bySet.size() + 120);
    }

    private static XYPlot panel(String yName, List<Point> points, Color color, double xMin, double xMax) {
        XYSeries series = new XYSeries(yName, false, true);
        double lo = 1, hi = 0;
        for (Point p : points) {
            series.add(p.bytesInRam(), p.recall());
            lo = Math.min(lo, p.recall());
            hi = Math.max(hi, p.recall());
        }
        // The measured span with a margin, on hundredths: differences of 0.005 stay visible.
        double yMin = Math.floor((lo - 0.02) * 100) / 100, yMax = Math.min(1.0, Math.ceil((hi + 0.015) * 100) / 100);
        NumberAxis y = new NumberAxis(yName);
        y.setRange(yMin, yMax);
        double span = yMax - yMin;
        y.setTickUnit(new NumberTickUnit(span <= 0.1 ? 0.01 : span <= 0.25 ? 0.02 : 0.05));
        y.setNumberFormatOverride(new DecimalFormat("0.00"));
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, color);
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), null, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        label(plot, points, yMin, yMax, color, xMin, xMax);
        return plot;
    }

    /**
     * Greedy label placement in (approximate) pixel space: each label tries positions right of, left of, above
     * and below its point, stepping away a line at a time, and takes the first that overlaps no placed label
     * and no point.
     */
    private static void label(XYPlot plot, List<Point> points, double yMin, double yMax, Color color, double xMin, double xMax) {
        double plotW = WIDTH - MARGIN_LEFT - MARGIN_RIGHT, plotH = PANEL_HEIGHT - 60;
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.FontMetrics fm = scratch.getGraphics().getFontMetrics(LABEL);
        java.util.function.DoubleUnaryOperator px = b -> (Math.log(b) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin)) * plotW;
        java.util.function.DoubleUnaryOperator py = v -> (yMax - v) / (yMax - yMin) * plotH;
        List<Rectangle2D> taken = new ArrayList<>();
        for (Point p : points) taken.add(new Rectangle2D.Double(px.applyAsDouble(p.bytesInRam()) - 5, py.applyAsDouble(p.recall()) - 5, 10, 10));
        List<Point> order = new ArrayList<>(points);
        order.sort(Comparator.comparingDouble(Point::bytesInRam).thenComparing(Point::recall, Comparator.reverseOrder()));
        int lineH = fm.getHeight();
        for (Point p : order) {
            String text = p.method().replace(" (rerank: residual)", "").replace(" (flat ADC scan)", "");
            double w = fm.stringWidth(text) + 4, h = lineH, cx = px.applyAsDouble(p.bytesInRam()), cy = py.applyAsDouble(p.recall());
            Rectangle2D box = null;
            search:
            for (int step = 0; step < 12; step++) {
                double[][] candidates = {
                        {cx + 8, cy - h / 2 - step * h}, {cx + 8, cy - h / 2 + step * h},
                        {cx - 8 - w, cy - h / 2 - step * h}, {cx - 8 - w, cy - h / 2 + step * h}};
                for (double[] c : candidates) {
                    Rectangle2D b = new Rectangle2D.Double(c[0], c[1], w, h);
                    if (b.getMinX() < 0 || b.getMaxX() > plotW || b.getMinY() < 0 || b.getMaxY() > plotH) continue;
                    if (taken.stream().noneMatch(b::intersects)) {
                        box = b;
                        break search;
                    }
                }
            }
            if (box == null) box = new Rectangle2D.Double(cx + 8, cy - h / 2, w, h); // crowded: overlap rather than drop it
            taken.add(box);
            // Back to data coordinates: the label's left-centre point.
            double lx = xMin * Math.exp((box.getMinX() + 2) / plotW * (Math.log(xMax) - Math.log(xMin)));
            double ly = yMax - (box.getCenterY() / plotH) * (yMax - yMin);
            boolean left = box.getMaxX() <= cx;
            double ax = left ? xMin * Math.exp((box.getMaxX() - 2) / plotW * (Math.log(xMax) - Math.log(xMin))) : lx;
            XYTextAnnotation a = new XYTextAnnotation(text, ax, ly);
            a.setFont(LABEL);
            a.setPaint(Color.DARK_GRAY);
            a.setTextAnchor(left ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT);
            plot.addAnnotation(a);
            if (Math.abs(box.getCenterY() - cy) > h * 0.75) {
                plot.addAnnotation(new XYLineAnnotation(p.bytesInRam(), p.recall(), ax, ly, new BasicStroke(0.7f), color));
            }
        }
    }
}
