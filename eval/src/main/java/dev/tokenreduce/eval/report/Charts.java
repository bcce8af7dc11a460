package dev.tokenreduce.eval.report;

import dev.tokenreduce.eval.flops.TokenSchedule;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of a report, drawn headless with JFreeChart. */
public final class Charts {

    static {
        // Reports are written on servers and in CI: never try to open a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Chart width in pixels. */
    public static final int WIDTH = 900;
    /** Chart height in pixels. */
    public static final int HEIGHT = 560;

    private Charts() {}

    /** Makes sure AWT runs headless (call before any other AWT use; loading this class does it). */
    public static void ensureHeadless() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * A scatter plot of {@code metric} against an x value per policy, one labelled series per policy. Policies
     * without either value are left out.
     *
     * @return whether any point was drawn (no file is written otherwise)
     */
    public static boolean metricVs(List<BenchmarkResult> results, String metric, String xLabel,
            ToDoubleFunction<BenchmarkResult> x, String title, Path file) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (BenchmarkResult r : results) {
            double xv = x.applyAsDouble(r);
            double yv = r.metric(metric);
            if (Double.isFinite(xv) && Double.isFinite(yv)) {
                XYSeries s = new XYSeries(r.name());
                s.add(xv, yv);
                data.addSeries(s);
            }
        }
        if (data.getSeriesCount() == 0) {
            return false;
        }
        JFreeChart chart = ChartFactory.createScatterPlot(title, xLabel, metric, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        // each point labelled with its policy name, so the chart reads without the legend
        renderer.setDefaultItemLabelGenerator(new StandardXYItemLabelGenerator("{0}"));
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
        }
        plot.setRenderer(renderer);
        style(plot);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((org.jfree.chart.axis.NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
        save(chart, file);
        return true;
    }

    /**
     * Tokens entering each layer, one step line per policy (the last point is the output count).
     *
     * @return whether any policy had a schedule (no file is written otherwise)
     */
    public static boolean tokenSchedules(List<BenchmarkResult> results, String title, Path file) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (BenchmarkResult r : results) {
            TokenSchedule s = r.schedule();
            if (s == null) {
                continue;
            }
            XYSeries series = new XYSeries(r.name());
            for (int l = 0; l < s.layers(); l++) {
                series.add(l, s.attentionTokens(l));
                if (s.mlpTokens(l) != s.attentionTokens(l)) {
                    series.add(l + 0.5, s.mlpTokens(l));
                }
            }
            series.add(s.layers(), s.outputTokens());
            data.addSeries(series);
        }
        if (data.getSeriesCount() == 0) {
            return false;
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "layer", "tokens", data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYStepRenderer renderer = new XYStepRenderer();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        style(plot);
        save(chart, file);
        return true;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private static void save(JFreeChart chart, Path file) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }
}
