/** Token state, operator SPI, budgets, policies, safetensors I/O and errors shared by every module. */
package dev.tokenreduce.core;
