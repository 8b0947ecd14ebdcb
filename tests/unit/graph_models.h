/* graph_models.h — reference networks built with the Graph IR API, shared by the graph
 * unit tests and tests/bench/graph_bench.c. Each returns the logits (or block output). */
#ifndef NAS_TEST_GRAPH_MODELS_H
#define NAS_TEST_GRAPH_MODELS_H
#include <stdio.h>
#include "graph.h"

/* Minimal test harness: CHECK records a failure with its location and goes on. */
extern int graph_test_failures;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            graph_test_failures++;                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)
#define CHECK_EQ(a, b)                                                                                       \
    do {                                                                                                     \
        long long a_ = (long long)(a), b_ = (long long)(b);                                                  \
        if (a_ != b_) {                                                                                      \
            graph_test_failures++;                                                                           \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, b_); \
        }                                                                                                    \
    } while (0)

/* LeNet-5 on [1,32,32] with tanh and average pooling, plus the loss. */
int model_lenet5(Graph *g);
/* The Fashion-MNIST CNN of docs/peers.md on [1,28,28] ('same' padding), plus the loss. */
int model_fashion_cnn(Graph *g);
/* MobileNetV2 inverted residual: x [c,h,w] -> expand 1x1 (c*t) + bn + relu6 -> depthwise 3x3
 * stride s + bn + relu6 -> project 1x1 (out) + bn (+ x when s == 1 and out == c). No biases. */
int model_mbv2_block(Graph *g, int x, int out, int t, int stride);
/* A MobileNetV2-shaped network on [3,32,32]: stem, 7 inverted residual blocks (one with
 * squeeze-excite), head, dropout, dense 10 and the loss: about 70 forward ops. */
int model_mobilenet(Graph *g);
#endif
