// A sentence-embedding model small enough to write in a test: a WordPiece
// tokenizer over a dozen words and an ONNX graph that looks each token up in an
// embedding table (one Gather node). transformers.js then does what it does
// for real models: tokenize, run the graph, mean-pool over the attention mask,
// normalise. The ONNX file is protobuf, encoded here by hand (a handful of
// ModelProto fields) so no converter is needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TINY_VOCAB = ['[PAD]', '[UNK]', 'query', 'passage', ':', 'maroc', 'emplois', 'inetum', 'capgemini', 'rabat', 'data', 'centre'];
export const TINY_DIMENSION = 8;

/** Row `id` of the embedding table: distinct, deterministic, not normalised. */
export function tinyEmbeddingRow(id: number): number[] {
  return Array.from({ length: TINY_DIMENSION }, (_, j) => Math.sin(id * 1.7 + j * 0.9) + (j === id % TINY_DIMENSION ? 1 : 0));
}

/** What the model should return for these vocabulary words: their rows' mean, normalised. */
export function expectedEmbedding(words: string[]): number[] {
  const mean = new Array<number>(TINY_DIMENSION).fill(0);
  for (const word of words) {
    const row = tinyEmbeddingRow(TINY_VOCAB.indexOf(word));
    row.forEach((v, j) => (mean[j]! += v / words.length));
  }
  const norm = Math.hypot(...mean);
  return mean.map((v) => v / norm);
}

// --- protobuf wire format: varints and length-delimited fields -------------
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const intField = (field: number, n: number): number[] => [...varint(field << 3), ...varint(n)];
const bytesField = (field: number, bytes: Uint8Array | number[]): number[] => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const stringField = (field: number, s: string): number[] => bytesField(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto: a named tensor whose dimensions are symbolic names or sizes. */
function valueInfo(name: string, elemType: number, dims: (string | number)[]): number[] {
  const shape = dims.flatMap((d) => bytesField(1, typeof d === 'string' ? stringField(2, d) : intField(1, d)));
  const tensorType = [...intField(1, elemType), ...bytesField(2, shape)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

function onnxModel(): Uint8Array {
  const table = new Float32Array(TINY_VOCAB.flatMap((_, id) => tinyEmbeddingRow(id)));
  const initializer = [
    ...intField(1, TINY_VOCAB.length),
    ...intField(1, TINY_DIMENSION),
    ...intField(2, FLOAT),
    ...stringField(8, 'embeddings'),
    ...bytesField(9, new Uint8Array(table.buffer)),
  ];
  const gather = [...stringField(1, 'embeddings'), ...stringField(1, 'input_ids'), ...stringField(2, 'last_hidden_state'), ...stringField(4, 'Gather')];
  // attention_mask is an input only because transformers.js feeds it; pooling reads it on the JS side.
  const graph = [
    ...bytesField(1, gather),
    ...stringField(2, 'tiny'),
    ...bytesField(5, initializer),
    ...bytesField(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytesField(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    ...bytesField(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIMENSION])),
  ];
  const opset = [...stringField(1, ''), ...intField(2, 13)];
  return new Uint8Array([...intField(1, 8), ...stringField(2, 'akhbar-test'), ...bytesField(7, graph), ...bytesField(8, opset)]);
}

function tokenizerJson(): object {
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('[PAD]', 0), special('[UNK]', 1)],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((word, id) => [word, id])),
    },
  };
}

/** Writes the model as `root/<name>/` in the layout transformers.js loads offline. */
export function writeTinyModel(root: string, name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'distilbert', dim: TINY_DIMENSION }));
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'DistilBertTokenizer', do_lower_case: true, model_max_length: 512, pad_token: '[PAD]', unk_token: '[UNK]' }),
  );
  writeFileSync(path.join(dir, 'onnx/model.onnx'), onnxModel());
  return dir;
}
