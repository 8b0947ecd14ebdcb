"""test_export_mobile.py — test_export_examples.py for examples/mobile_space.nas (MBConv stages,
squeeze-excite, depthwise convolutions, a subset of skip inputs, dropout), the largest example:
its own ctest so that it runs beside the others."""
import test_export_examples

test_export_examples.main(only={"mobile_space"}, name_of_test="export_mobile")
