package io.panavec.cli;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

/** The bench plot: recall@k (x) against queries/s (y, log scale when it spans a decade), one series per run, points labelled with the swept value. */
final class BenchChart {
    private static final int WIDTH = 1100, HEIGHT = 700;

    private BenchChart() {}

    static void write(Path png, List<BenchCommand.Run> runs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        double minRecall = 1, maxRecall = 0, minQps = Double.MAX_VALUE, maxQps = 0;
        for (int i = 0; i < runs.size(); i++) {
            BenchCommand.Run r = runs.get(i);
            // Series keys must differ: number repeats of the same label.
            XYSeries s = new XYSeries(data.getSeriesIndex(r.label()) < 0 ? r.label() : r.label() + " #" + (i + 1), false, true);
            for (BenchCommand.Point p : r.points()) {
                s.add(p.recall(), p.qps());
                minRecall = Math.min(minRecall, p.recall());
                maxRecall = Math.max(maxRecall, p.recall());
                minQps = Math.min(minQps, p.qps());
                maxQps = Math.max(maxQps, p.qps());
            }
            data.addSeries(s);
        }
        BenchCommand.Run last = runs.get(runs.size() - 1);
        NumberAxis x = new NumberAxis("recall@" + last.k() + " (against " + Path.of(last.groundTruth()).getFileName() + ")");
        // Recall lives in [0, 1]: show the measured span with a margin, on tenths or twentieths, never past 1.
        double lo = Math.max(0, Math.floor((minRecall - 0.02) * 20) / 20);
        double hi = Math.min(1.0, Math.ceil((maxRecall + 0.02) * 20) / 20);
        hi = Math.max(hi, lo + 0.05);
        double pad = (hi - lo) * 0.04; // room for the points and labels at the ends (recall 1.0 sits on the edge otherwise)
        x.setRange(lo - Math.min(pad, lo), hi + pad);
        x.setNumberFormatOverride(new DecimalFormat("0.00"));
        ValueAxis y;
        if (maxQps / Math.max(minQps, 1e-9) >= 10) {
            // Ticks at powers of two (256, 512, 1,024...): whole numbers that stay readable over any span.
            LogAxis log = new LogAxis("queries per second (log scale)");
            log.setBase(2);
            log.setAutoTickUnitSelection(false);
            log.setTickUnit(new NumberTickUnit(1));
            log.setMinorTickCount(0);
            log.setNumberFormatOverride(new DecimalFormat("#,##0"));
            log.setRange(minQps / 1.5, maxQps * 1.5);
            y = log;
        } else {
            NumberAxis lin = new NumberAxis("queries per second");
            lin.setNumberFormatOverride(new DecimalFormat("#,##0"));
            lin.setRange(0, maxQps * 1.15);
            y = lin;
        }
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 14), label = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        for (ValueAxis a : List.of(x, y)) {
            a.setTickLabelFont(tick);
            a.setLabelFont(label);
        }

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};
        for (int i = 0; i < runs.size(); i++) {
            renderer.setSeriesPaint(i, colors[i % colors.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        renderer.setDefaultItemLabelGenerator((dataset, series, item) -> {
            BenchCommand.Run r = runs.get(series);
            return r.parameter() + " " + r.points().get(item).value(r.parameter());
        });
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));

        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setOutlinePaint(Color.GRAY);
        String title = "recall@" + last.k() + " vs queries/s: " + Path.of(last.queriesFile()).getFileName() + " (" + last.queries() + " queries, "
                + last.threads() + " thread" + (last.threads() == 1 ? "" : "s") + ")";
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        legend.setPosition(RectangleEdge.BOTTOM);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
