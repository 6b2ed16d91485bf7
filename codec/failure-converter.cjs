// The failure converter the Worker loads by path (`failureConverterPath`): bundled into the
// workflow code, and `require`d by the SDK for activities. It moves every failure's message and
// stack trace into an encoded payload, which the payload codec then encrypts: a vendor's words
// about the hire, or a rejection reason, must not sit in the history in plain text.
//
// CommonJS on purpose: the SDK `require`s this path, which works the same under tsx, jest's
// ESM mode and the workflow bundler only for a CommonJS file. Clients build the same converter
// in codec/data-converter.ts; a test checks that both encode.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
