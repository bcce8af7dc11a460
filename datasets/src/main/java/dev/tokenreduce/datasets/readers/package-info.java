/**
 * Dataset readers for dense-prediction benchmarks in their distributed folder layouts (ADE20K, Cityscapes, Pascal
 * VOC 2012, Pascal Context, NYU Depth v2) and for synthetic scenes, behind the
 * {@link dev.tokenreduce.datasets.readers.SegmentationDataset} and
 * {@link dev.tokenreduce.datasets.readers.DepthDataset} interfaces, opened by
 * {@link dev.tokenreduce.datasets.readers.Datasets#open(String, String)} from {@code type:path} specs. Files are
 * listed and paired when a dataset is opened; every missing or unpaired file is reported in one error.
 */
package dev.tokenreduce.datasets.readers;
