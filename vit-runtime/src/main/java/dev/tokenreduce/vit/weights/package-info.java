/**
 * Checkpoint tensor naming (timm, HF ViT/DeiT/DINOv2, HF CLIP/SigLIP), key-prefix detection and loading of the
 * encoder weights into a model-owned NDManager, with one error listing every missing or mis-shaped tensor.
 */
package dev.tokenreduce.vit.weights;
