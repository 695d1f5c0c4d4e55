#!/usr/bin/env -S /usr/bin/python3
"""Generate the ONNX test fixtures in shared/src/test/resources/fixtures/houses/.

Run it through the wrapper, which picks a Python that has the packages:

    tools/onnx-fixtures/make            # writes into the fixtures directory
    tools/onnx-fixtures/make --out DIR  # writes somewhere else (e.g. to compare)

Needs numpy, scikit-learn and onnx (Debian: python3-numpy python3-sklearn python3-onnx).
Nothing else: the ONNX graphs are built by hand with onnx.helper, so neither skl2onnx nor
onnxruntime is needed.

Everything is deterministic (fixed seeds, legacy numpy RandomState, fixed ONNX field
order): re-running with the same package versions rewrites byte-identical files. Another
scikit-learn version may fit slightly different trees; that is fine, the committed files
are the fixtures and the Java tests never run this tool.

What it makes is described in README.md next to this file.
"""

import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
import sklearn
from onnx import TensorProto, checker, helper, numpy_helper
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression

PRODUCER = "scorepipe-fixtures"
PRODUCER_VERSION = "1"
IR_VERSION = 8  # ONNX 1.10+, read by ONNX Runtime 1.10 and later
OPSET_DEFAULT = 13
OPSET_ML = 3  # TreeEnsembleRegressor (ai.onnx.ml) version 3; thresholds are float32

SEED = 20240607
ROWS = 800
TRAIN_ROWS = 640  # the first 640 rows train, the last 160 are held out

FEATURES = ["sqft", "age_years", "rooms", "distance_km", "lot_acres", "school_score"]
# decimals each feature is rounded to (the CSV is written with exactly these)
DECIMALS = {"sqft": 0, "age_years": 0, "rooms": 0, "distance_km": 2, "lot_acres": 3, "school_score": 1}
TARGET = "price"
TARGET_DECIMALS = 2
MIN_PRICE = 50_000.0

GBT_PARAMS = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=7)

# No feature value may lie within this relative distance of a split threshold of the
# exported trees: scikit-learn compares float32(x) with a float64 threshold, ONNX Runtime
# compares float32(x) with a float32 threshold, and this margin (far above float32's 6e-8)
# makes both route every row the same way.
THRESHOLD_MARGIN = 1e-4

TOLERANCE = 1e-5  # what the Java tests allow between ONNX Runtime and scikit-learn


# ---------------------------------------------------------------------------- data

def fmt(value, decimals):
    """Plain decimal text, no exponent, no trailing zeros ("12.5", "1234", "0.02")."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text


def quantize(values, decimals):
    """Round to `decimals` and return exactly the doubles the CSV text parses back to."""
    return np.array([float(fmt(v, decimals)) for v in values])


def redraw(rng, draw, low, high, n):
    """n values from draw(size) that lie in [low, high]; out-of-range ones are drawn again."""
    values = draw(n)
    while True:
        bad = (values < low) | (values > high)
        if not bad.any():
            return values
        values[bad] = draw(int(bad.sum()))


def draw_candidates(rng, n):
    """n candidate rows (features already rounded as in the CSV) and their prices."""
    sqft = quantize(redraw(rng, lambda k: rng.lognormal(np.log(1700.0), 0.45, k), 400, 4500, n), 0)
    rooms = quantize(np.clip(np.rint(1.0 + sqft / 550.0 + rng.normal(0.0, 0.8, n)), 1, 9), 0)
    age = quantize(np.rint(120.0 * rng.beta(1.3, 2.2, n)), 0)
    distance = quantize(redraw(rng, lambda k: 0.2 + rng.exponential(9.0, k), 0.2, 60.0, n), 2)
    lot = quantize(redraw(rng, lambda k: rng.lognormal(np.log(0.25), 0.8, k), 0.02, 3.0, n), 3)
    school = quantize(redraw(rng, lambda k: rng.normal(6.2, 1.8, k), 1.0, 10.0, n), 1)
    noise = rng.normal(0.0, 12_000.0, n)

    price = (
        90_000.0
        + 150.0 * sqft
        - 900.0 * age
        + 12_000.0 * rooms
        - 2_500.0 * distance
        # nonlinear parts, so that trees beat a straight line
        + 18.0 * (age - 45.0) ** 2  # old (historic) houses gain value again
        + 9_000.0 * np.maximum(school - 6.0, 0.0) ** 2  # good schools: convex premium
        + 45_000.0 * (distance < 4.0)  # a step for the city centre
        + 35_000.0 * np.sqrt(lot)
        + noise
    )
    price = quantize(price, TARGET_DECIMALS)
    X = np.column_stack([sqft, age, rooms, distance, lot, school])
    return X, price


def draw_rows(rng, n):
    """n rows whose price is at least MIN_PRICE (cheaper candidates are dropped)."""
    xs, ys, have = [], [], 0
    while have < n:
        X, y = draw_candidates(rng, max(n, 64))
        keep = y >= MIN_PRICE
        xs.append(X[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


# ---------------------------------------------------------------------------- models

def fit(X, y):
    gbt = GradientBoostingRegressor(**GBT_PARAMS).fit(X[:TRAIN_ROWS], y[:TRAIN_ROWS])
    linear = LinearRegression().fit(X[:TRAIN_ROWS], y[:TRAIN_ROWS])
    return gbt, linear


def trees(gbt):
    return [est[0].tree_ for est in gbt.estimators_]


def near_splits(gbt, X):
    """Boolean (rows, trees, nodes) array: is the row's value of the node's split feature
    within THRESHOLD_MARGIN (relative) of the node's threshold? False for leaves."""
    all_trees = trees(gbt)
    width = max(tree.node_count for tree in all_trees)
    near = np.zeros((len(X), len(all_trees), width), dtype=bool)
    for k, tree in enumerate(all_trees):
        for node in np.flatnonzero(tree.children_left != -1):
            t = tree.threshold[node]
            near[:, k, node] = np.abs(X[:, tree.feature[node]] - t) <= THRESHOLD_MARGIN * max(abs(t), 1e-12)
    return near


def rows_near_any_split(gbt, X):
    """Rows with a value near any threshold of any split on that feature."""
    return np.flatnonzero(near_splits(gbt, X).any(axis=(1, 2)))


def rows_near_path_split(gbt, X):
    """Rows with a value near the threshold of a split the row itself passes through: the
    only places where float32 and float64 could route a row differently."""
    near = near_splits(gbt, X)
    X32 = X.astype(np.float32)
    bad = np.zeros(len(X), dtype=bool)
    for k, tree in enumerate(trees(gbt)):
        visited = tree.decision_path(X32).toarray().astype(bool)
        bad |= (visited & near[:, k, :tree.node_count]).any(axis=1)
    return np.flatnonzero(bad)


def make_data_and_models():
    """Rows, and models fitted on the first TRAIN_ROWS of them, such that
    - no row (of all ROWS) has a value near the threshold of a split on its own decision path,
    - no held-out row has a value near any threshold of any split on that feature.
    Asking the second of the training rows too cannot be met: thresholds are midpoints of the
    values that reach a node, so an integer feature gets thresholds like 14.0 that other
    training rows hold exactly, and re-drawing training rows moves the thresholds again.
    Returns (X, y, gbt, linear, training rows re-drawn, held-out rows re-drawn)."""
    rng = np.random.RandomState(SEED)
    X, y = draw_rows(rng, ROWS)
    train, held = slice(0, TRAIN_ROWS), slice(TRAIN_ROWS, ROWS)
    redrawn_train = redrawn_held = 0
    for _ in range(50):
        gbt, linear = fit(X, y)
        near = rows_near_path_split(gbt, X[train])
        if len(near):  # re-draw those training rows and fit again (the splits move a little)
            X[near], y[near] = draw_rows(rng, len(near))
            redrawn_train += len(near)
            continue
        for _ in range(1000):  # held-out rows do not move the splits
            near = TRAIN_ROWS + rows_near_any_split(gbt, X[held])
            if len(near) == 0:
                return X, y, gbt, linear, redrawn_train, redrawn_held
            X[near], y[near] = draw_rows(rng, len(near))
            redrawn_held += len(near)
        break
    sys.exit("could not get the rows away from the split thresholds")


def emulate_onnx_trees(gbt, X):
    """What TreeEnsembleRegressor computes: float32 input, float32 thresholds and weights,
    float32 sum. Returns (predictions, leaf index per tree) for comparison with sklearn."""
    X32 = X.astype(np.float32)
    lr = gbt.learning_rate
    total = np.full(len(X), np.float32(base_value(gbt)), dtype=np.float32)
    leaves = np.zeros((len(X), len(gbt.estimators_)), dtype=np.int64)
    for k, tree in enumerate(trees(gbt)):
        node = np.zeros(len(X), dtype=np.int64)
        while True:
            inner = tree.children_left[node] != -1
            if not inner.any():
                break
            idx = np.flatnonzero(inner)
            n = node[idx]
            go_left = X32[idx, tree.feature[n]] <= tree.threshold[n].astype(np.float32)
            node[idx] = np.where(go_left, tree.children_left[n], tree.children_right[n])
        leaves[:, k] = node
        total += (np.float32(lr) * tree.value[node, 0, 0].astype(np.float32)).astype(np.float32)
    return total.astype(np.float64), leaves


def base_value(gbt):
    return float(np.asarray(gbt.init_.constant_).ravel()[0])


# ---------------------------------------------------------------------------- ONNX

def f32(values):
    """Python floats that are exactly the float32 values ONNX will store."""
    return [float(v) for v in np.asarray(values, dtype=np.float64).astype(np.float32)]


def tensor_info(name, elem_type, width):
    return helper.make_tensor_value_info(name, elem_type, ["N", width])


def finish(graph, feature_names=True, doc=""):
    model = helper.make_model(
        graph,
        producer_name=PRODUCER,
        producer_version=PRODUCER_VERSION,
        opset_imports=[helper.make_opsetid("", OPSET_DEFAULT), helper.make_opsetid("ai.onnx.ml", OPSET_ML)],
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    model.model_version = 1
    if feature_names:
        helper.set_model_props(model, {"feature_names": ",".join(FEATURES)})
    checker.check_model(model, full_check=True)
    return model


def gbt_onnx(gbt):
    lr = gbt.learning_rate
    attrs = {k: [] for k in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
        "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
        "target_treeids", "target_nodeids", "target_ids", "target_weights")}
    for tree_id, tree in enumerate(trees(gbt)):
        for node in range(tree.node_count):
            left, right = int(tree.children_left[node]), int(tree.children_right[node])
            leaf = left == -1
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(node)
            attrs["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            attrs["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            attrs["nodes_values"].append(0.0 if leaf else float(tree.threshold[node]))
            attrs["nodes_truenodeids"].append(0 if leaf else left)  # x <= threshold: left child
            attrs["nodes_falsenodeids"].append(0 if leaf else right)
            attrs["nodes_missing_value_tracks_true"].append(0)
            if leaf:
                attrs["target_treeids"].append(tree_id)
                attrs["target_nodeids"].append(node)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(lr * float(tree.value[node, 0, 0]))
    attrs["nodes_values"] = f32(attrs["nodes_values"])
    attrs["target_weights"] = f32(attrs["target_weights"])
    node = helper.make_node(
        "TreeEnsembleRegressor", ["input"], ["variable"], name="gbt", domain="ai.onnx.ml",
        n_targets=1, aggregate_function="SUM", post_transform="NONE",
        base_values=f32([base_value(gbt)]), **attrs)
    graph = helper.make_graph(
        [node], "houses_gbt",
        [tensor_info("input", TensorProto.FLOAT, len(FEATURES))],
        [tensor_info("variable", TensorProto.FLOAT, 1)])
    return finish(graph, doc=(
        "scikit-learn %s GradientBoostingRegressor(%s) on fixtures/houses/houses.csv rows 1-%d; "
        "generated by tools/onnx-fixtures, do not edit" % (
            sklearn.__version__, ", ".join(f"{k}={v}" for k, v in GBT_PARAMS.items()), TRAIN_ROWS)))


def linear_onnx(linear, dtype, feature_names):
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    W = numpy_helper.from_array(linear.coef_.reshape(-1, 1).astype(dtype), "coef")
    b = numpy_helper.from_array(np.array([linear.intercept_], dtype=dtype), "intercept")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "coef"], ["multiplied"], name="matmul"),
         helper.make_node("Add", ["multiplied", "intercept"], ["variable"], name="add")],
        "houses_linear_" + ("f64" if dtype == np.float64 else "f32"),
        [tensor_info("input", elem, len(FEATURES))],
        [tensor_info("variable", elem, 1)],
        initializer=[W, b])
    return finish(graph, feature_names, doc=(
        "scikit-learn %s LinearRegression on fixtures/houses/houses.csv rows 1-%d, %s; "
        "generated by tools/onnx-fixtures, do not edit" % (
            sklearn.__version__, TRAIN_ROWS, "float64" if dtype == np.float64 else "float32")))


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def bad_two_inputs():
    weights = np.full((6, 1), 1.0, dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("Concat", ["a", "b"], ["joined"], name="concat", axis=1),
         helper.make_node("MatMul", ["joined", "coef"], ["variable"], name="matmul")],
        "bad_two_inputs",
        [tensor_info("a", TensorProto.FLOAT, 3), tensor_info("b", TensorProto.FLOAT, 3)],
        [tensor_info("variable", TensorProto.FLOAT, 1)],
        initializer=[const("coef", weights)])
    return finish(graph, doc="refusal fixture: two inputs ([N,3] and [N,3]); generated by tools/onnx-fixtures")


def bad_nonfinite():
    # (|sum of the features| + 1) / 0 = +Infinity for every row of finite features
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "ones"], ["summed"], name="matmul"),
         helper.make_node("Abs", ["summed"], ["magnitude"], name="abs"),
         helper.make_node("Add", ["magnitude", "one"], ["positive"], name="add"),
         helper.make_node("Div", ["positive", "zero"], ["variable"], name="divide_by_zero")],
        "bad_nonfinite",
        [tensor_info("input", TensorProto.FLOAT, len(FEATURES))],
        [tensor_info("variable", TensorProto.FLOAT, 1)],
        initializer=[const("ones", np.ones((6, 1), dtype=np.float32)),
                     const("one", np.array([1.0], dtype=np.float32)),
                     const("zero", np.array([0.0], dtype=np.float32))])
    return finish(graph, doc="refusal fixture: predicts +Infinity for every row; generated by tools/onnx-fixtures")


def bad_two_outputs():
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "coef_1"], ["variable"], name="matmul_1"),
         helper.make_node("MatMul", ["input", "coef_2"], ["variable_2"], name="matmul_2")],
        "bad_two_outputs",
        [tensor_info("input", TensorProto.FLOAT, len(FEATURES))],
        [tensor_info("variable", TensorProto.FLOAT, 1), tensor_info("variable_2", TensorProto.FLOAT, 1)],
        initializer=[const("coef_1", np.full((6, 1), 1.0, dtype=np.float32)),
                     const("coef_2", np.full((6, 1), 2.0, dtype=np.float32))])
    return finish(graph, doc="refusal fixture: two outputs ([N,1] each); generated by tools/onnx-fixtures")


def bad_string_input():
    graph = helper.make_graph(
        [helper.make_node("Cast", ["input"], ["numbers"], name="cast", to=TensorProto.FLOAT),
         helper.make_node("MatMul", ["numbers", "coef"], ["variable"], name="matmul")],
        "bad_string_input",
        [tensor_info("input", TensorProto.STRING, len(FEATURES))],
        [tensor_info("variable", TensorProto.FLOAT, 1)],
        initializer=[const("coef", np.full((6, 1), 1.0, dtype=np.float32))])
    return finish(graph, doc="refusal fixture: the input is a string tensor [N,6]; generated by tools/onnx-fixtures")


# ---------------------------------------------------------------------------- files

def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def write_model(path, model):
    with open(path, "wb") as out:
        out.write(model.SerializeToString())


def exact(value):
    """Shortest text that parses back to exactly this double (Python repr), no exponent."""
    text = repr(float(value))
    if "e" in text or "E" in text or "n" in text:
        sys.exit(f"{text} is not a plain decimal number")
    return text


def feature_cells(row):
    return [fmt(v, DECIMALS[name]) for name, v in zip(FEATURES, row)]


def main():
    default_out = os.path.normpath(os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..",
        "shared", "src", "test", "resources", "fixtures", "houses"))
    parser = argparse.ArgumentParser(description="Generate the houses ONNX test fixtures.")
    parser.add_argument("--out", default=default_out, help="output directory (default: %(default)s)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    X, y, gbt, linear, redrawn_train, redrawn_held = make_data_and_models()
    assert len(rows_near_path_split(gbt, X)) == 0 and len(rows_near_any_split(gbt, X[TRAIN_ROWS:])) == 0
    ids = np.arange(1, ROWS + 1)

    # The CSV must parse back to exactly the doubles the models were fitted on.
    header = ",".join(["id"] + FEATURES + [TARGET])
    lines = [header] + [",".join([str(i)] + feature_cells(X[k]) + [fmt(y[k], TARGET_DECIMALS)])
                        for k, i in enumerate(ids)]
    parsed = np.array([[float(c) for c in line.split(",")[1:]] for line in lines[1:]])
    assert np.array_equal(parsed[:, :6], X) and np.array_equal(parsed[:, 6], y), "CSV round trip"
    assert all("e" not in line.lower() for line in lines[1:]), "exponent in the CSV"
    write_text(os.path.join(args.out, "houses.csv"), "\n".join(lines) + "\n")

    held = slice(TRAIN_ROWS, ROWS)
    gbt_pred = gbt.predict(X[held])
    lin_pred = linear.predict(X[held])
    lines = [header + ",gbt,linear"] + [
        ",".join([str(ids[k])] + feature_cells(X[k]) + [fmt(y[k], TARGET_DECIMALS), exact(g), exact(l)])
        for k, g, l in zip(range(TRAIN_ROWS, ROWS), gbt_pred, lin_pred)]
    write_text(os.path.join(args.out, "houses-expected.csv"), "\n".join(lines) + "\n")

    # Self-check: the ONNX trees (float32 everywhere) route every row as scikit-learn does.
    emulated, leaves = emulate_onnx_trees(gbt, X)
    sk_leaves = np.column_stack([tree.apply(X.astype(np.float32)) for tree in trees(gbt)])
    assert np.array_equal(leaves, sk_leaves), "float32 thresholds route a row differently"
    sk_all = gbt.predict(X)
    emulated_rel = float(np.max(np.abs(emulated - sk_all) / np.abs(sk_all)))
    assert emulated_rel < TOLERANCE, emulated_rel

    models = {
        "houses-gbt.onnx": gbt_onnx(gbt),
        "houses-linear-f64.onnx": linear_onnx(linear, np.float64, feature_names=True),
        "houses-linear-f32.onnx": linear_onnx(linear, np.float32, feature_names=False),
        "bad-two-inputs.onnx": bad_two_inputs(),
        "bad-nonfinite.onnx": bad_nonfinite(),
        "bad-two-outputs.onnx": bad_two_outputs(),
        "bad-string-input.onnx": bad_string_input(),
    }
    for name, model in models.items():
        write_model(os.path.join(args.out, name), model)

    def rmse(pred):
        return float(np.sqrt(np.mean((pred - y[held]) ** 2)))

    splits = sum(int((tree.children_left != -1).sum()) for tree in trees(gbt))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
          f"onnx {onnx.__version__}")
    print(f"{ROWS} rows ({TRAIN_ROWS} train, {ROWS - TRAIN_ROWS} held out), price {y.min():.0f}..{y.max():.0f}")
    print(f"held-out RMSE: gbt {rmse(gbt_pred):.0f}, linear {rmse(lin_pred):.0f}")
    print(f"gbt: {splits} splits; every row > {THRESHOLD_MARGIN:g} (relative) from the thresholds on its path, "
          f"every held-out row from every threshold of its features; re-drawn to get there: "
          f"{redrawn_train} training rows, {redrawn_held} held-out rows")
    print(f"float32 tree emulation vs scikit-learn (all rows): max relative difference {emulated_rel:.2e}")
    for name in ["houses.csv", "houses-expected.csv"] + list(models):
        path = os.path.join(args.out, name)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:16]
        print(f"  {os.path.getsize(path):>8}  {digest}  {path}")


if __name__ == "__main__":
    main()
