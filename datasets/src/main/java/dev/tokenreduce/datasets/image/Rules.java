package dev.tokenreduce.datasets.image;

/** The {@link SizeRule} implementations. */
final class Rules {

    private Rules() {}

    record Fixed(ImageSize target) implements SizeRule {
        @Override
        public ImageSize apply(ImageSize size) {
            return target;
        }

        @Override
        public String toString() {
            return "fixed(" + target + ")";
        }
    }

    record ShortestSide(int side) implements SizeRule {
        @Override
        public ImageSize apply(ImageSize size) {
            if (size.width() <= size.height()) {
                return new ImageSize(side, Math.max(1, (int) ((long) side * size.height() / size.width())));
            }
            return new ImageSize(Math.max(1, (int) ((long) side * size.width() / size.height())), side);
        }

        @Override
        public String toString() {
            return "shortestSide(" + side + ")";
        }
    }

    record KeepRatio(int longMax, int shortMax) implements SizeRule {
        @Override
        public ImageSize apply(ImageSize size) {
            double scale = Math.min((double) longMax / size.longSide(), (double) shortMax / size.shortSide());
            return new ImageSize(Math.max(1, (int) (size.width() * scale + 0.5)),
                    Math.max(1, (int) (size.height() * scale + 0.5)));
        }

        @Override
        public String toString() {
            return "keepRatio(" + longMax + ", " + shortMax + ")";
        }
    }
}
