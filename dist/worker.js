import { createRequire as __podguardCreateRequire } from 'node:module';
const require = __podguardCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// node_modules/dockerfile-ast/lib/argument.js
var require_argument = __commonJS({
  "node_modules/dockerfile-ast/lib/argument.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Argument = void 0;
    var Argument = class {
      constructor(value, range) {
        this.value = value;
        this.range = range;
      }
      toString() {
        return this.value;
      }
      getRange() {
        return this.range;
      }
      getValue() {
        return this.value;
      }
      isAfter(position) {
        if (this.range.end.line < position.line) {
          return false;
        }
        return this.range.start.line > position.line ? true : this.range.start.character > position.character;
      }
      isBefore(position) {
        if (this.range.start.line < position.line) {
          return true;
        }
        return this.range.end.line > position.line ? false : this.range.end.character < position.character;
      }
    };
    exports.Argument = Argument;
  }
});

// node_modules/dockerfile-ast/lib/jsonArgument.js
var require_jsonArgument = __commonJS({
  "node_modules/dockerfile-ast/lib/jsonArgument.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.JSONArgument = void 0;
    var argument_1 = require_argument();
    var JSONArgument = class extends argument_1.Argument {
      constructor(value, range, jsonRange) {
        super(value, range);
        this.jsonRange = jsonRange;
      }
      getJSONRange() {
        return this.jsonRange;
      }
      getJSONValue() {
        let value = super.getValue();
        value = value.substring(1, value.length - 1);
        return value;
      }
    };
    exports.JSONArgument = JSONArgument;
  }
});

// node_modules/vscode-languageserver-types/lib/esm/main.js
var main_exports = {};
__export(main_exports, {
  AnnotatedTextEdit: () => AnnotatedTextEdit,
  ApplyKind: () => ApplyKind,
  ChangeAnnotation: () => ChangeAnnotation,
  ChangeAnnotationIdentifier: () => ChangeAnnotationIdentifier,
  CodeAction: () => CodeAction,
  CodeActionContext: () => CodeActionContext,
  CodeActionKind: () => CodeActionKind,
  CodeActionTag: () => CodeActionTag,
  CodeActionTriggerKind: () => CodeActionTriggerKind,
  CodeDescription: () => CodeDescription,
  CodeLens: () => CodeLens,
  Color: () => Color,
  ColorInformation: () => ColorInformation,
  ColorPresentation: () => ColorPresentation,
  Command: () => Command,
  CompletionItem: () => CompletionItem,
  CompletionItemKind: () => CompletionItemKind,
  CompletionItemLabelDetails: () => CompletionItemLabelDetails,
  CompletionItemTag: () => CompletionItemTag,
  CompletionList: () => CompletionList,
  CreateFile: () => CreateFile,
  DeleteFile: () => DeleteFile,
  Diagnostic: () => Diagnostic,
  DiagnosticRelatedInformation: () => DiagnosticRelatedInformation,
  DiagnosticSeverity: () => DiagnosticSeverity,
  DiagnosticTag: () => DiagnosticTag,
  DocumentHighlight: () => DocumentHighlight,
  DocumentHighlightKind: () => DocumentHighlightKind,
  DocumentLink: () => DocumentLink,
  DocumentSymbol: () => DocumentSymbol,
  DocumentUri: () => DocumentUri,
  EOL: () => EOL,
  FoldingRange: () => FoldingRange,
  FoldingRangeKind: () => FoldingRangeKind,
  FormattingOptions: () => FormattingOptions,
  Hover: () => Hover,
  InlayHint: () => InlayHint,
  InlayHintKind: () => InlayHintKind,
  InlayHintLabelPart: () => InlayHintLabelPart,
  InlineCompletionContext: () => InlineCompletionContext,
  InlineCompletionItem: () => InlineCompletionItem,
  InlineCompletionList: () => InlineCompletionList,
  InlineCompletionTriggerKind: () => InlineCompletionTriggerKind,
  InlineValueContext: () => InlineValueContext,
  InlineValueEvaluatableExpression: () => InlineValueEvaluatableExpression,
  InlineValueText: () => InlineValueText,
  InlineValueVariableLookup: () => InlineValueVariableLookup,
  InsertReplaceEdit: () => InsertReplaceEdit,
  InsertTextFormat: () => InsertTextFormat,
  InsertTextMode: () => InsertTextMode,
  LanguageKind: () => LanguageKind,
  Location: () => Location,
  LocationLink: () => LocationLink,
  MarkedString: () => MarkedString,
  MarkupContent: () => MarkupContent,
  MarkupKind: () => MarkupKind,
  OptionalVersionedTextDocumentIdentifier: () => OptionalVersionedTextDocumentIdentifier,
  ParameterInformation: () => ParameterInformation,
  Position: () => Position,
  Range: () => Range,
  RenameFile: () => RenameFile,
  SelectedCompletionInfo: () => SelectedCompletionInfo,
  SelectionRange: () => SelectionRange,
  SemanticTokenModifiers: () => SemanticTokenModifiers,
  SemanticTokenTypes: () => SemanticTokenTypes,
  SemanticTokens: () => SemanticTokens,
  SignatureInformation: () => SignatureInformation,
  SnippetTextEdit: () => SnippetTextEdit,
  StringValue: () => StringValue,
  SymbolInformation: () => SymbolInformation,
  SymbolKind: () => SymbolKind,
  SymbolTag: () => SymbolTag,
  TextDocument: () => TextDocument,
  TextDocumentEdit: () => TextDocumentEdit,
  TextDocumentIdentifier: () => TextDocumentIdentifier,
  TextDocumentItem: () => TextDocumentItem,
  TextEdit: () => TextEdit,
  URI: () => URI,
  VersionedTextDocumentIdentifier: () => VersionedTextDocumentIdentifier,
  WorkspaceChange: () => WorkspaceChange,
  WorkspaceEdit: () => WorkspaceEdit,
  WorkspaceFolder: () => WorkspaceFolder,
  WorkspaceSymbol: () => WorkspaceSymbol,
  integer: () => integer,
  uinteger: () => uinteger
});
var DocumentUri, URI, integer, uinteger, Position, Range, Location, LocationLink, Color, ColorInformation, ColorPresentation, FoldingRangeKind, FoldingRange, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, CodeDescription, Diagnostic, Command, TextEdit, ChangeAnnotation, ChangeAnnotationIdentifier, AnnotatedTextEdit, TextDocumentEdit, CreateFile, RenameFile, DeleteFile, WorkspaceEdit, TextEditChangeImpl, SnippetTextEdit, ChangeAnnotations, WorkspaceChange, TextDocumentIdentifier, VersionedTextDocumentIdentifier, OptionalVersionedTextDocumentIdentifier, LanguageKind, TextDocumentItem, MarkupKind, MarkupContent, CompletionItemKind, InsertTextFormat, CompletionItemTag, InsertReplaceEdit, InsertTextMode, ApplyKind, CompletionItemLabelDetails, CompletionItem, CompletionList, MarkedString, Hover, ParameterInformation, SignatureInformation, DocumentHighlightKind, DocumentHighlight, SymbolKind, SymbolTag, SymbolInformation, WorkspaceSymbol, DocumentSymbol, CodeActionKind, CodeActionTriggerKind, CodeActionContext, CodeActionTag, CodeAction, CodeLens, FormattingOptions, DocumentLink, SelectionRange, SemanticTokenTypes, SemanticTokenModifiers, SemanticTokens, InlineValueText, InlineValueVariableLookup, InlineValueEvaluatableExpression, InlineValueContext, InlayHintKind, InlayHintLabelPart, InlayHint, StringValue, InlineCompletionItem, InlineCompletionList, InlineCompletionTriggerKind, SelectedCompletionInfo, InlineCompletionContext, WorkspaceFolder, EOL, TextDocument, FullTextDocument, Is;
var init_main = __esm({
  "node_modules/vscode-languageserver-types/lib/esm/main.js"() {
    "use strict";
    (function(DocumentUri2) {
      function is(value) {
        return typeof value === "string";
      }
      DocumentUri2.is = is;
    })(DocumentUri || (DocumentUri = {}));
    (function(URI2) {
      function is(value) {
        return typeof value === "string";
      }
      URI2.is = is;
    })(URI || (URI = {}));
    (function(integer2) {
      integer2.MIN_VALUE = -2147483648;
      integer2.MAX_VALUE = 2147483647;
      function is(value) {
        return typeof value === "number" && integer2.MIN_VALUE <= value && value <= integer2.MAX_VALUE;
      }
      integer2.is = is;
    })(integer || (integer = {}));
    (function(uinteger2) {
      uinteger2.MIN_VALUE = 0;
      uinteger2.MAX_VALUE = 2147483647;
      function is(value) {
        return typeof value === "number" && uinteger2.MIN_VALUE <= value && value <= uinteger2.MAX_VALUE;
      }
      uinteger2.is = is;
    })(uinteger || (uinteger = {}));
    (function(Position2) {
      function create(line, character) {
        if (line === Number.MAX_VALUE) {
          line = uinteger.MAX_VALUE;
        }
        if (character === Number.MAX_VALUE) {
          character = uinteger.MAX_VALUE;
        }
        return { line, character };
      }
      Position2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.line) && Is.uinteger(candidate.character);
      }
      Position2.is = is;
    })(Position || (Position = {}));
    (function(Range2) {
      function create(one, two, three, four) {
        if (Is.uinteger(one) && Is.uinteger(two) && Is.uinteger(three) && Is.uinteger(four)) {
          return { start: Position.create(one, two), end: Position.create(three, four) };
        } else if (Position.is(one) && Position.is(two)) {
          return { start: one, end: two };
        } else {
          throw new Error(`Range#create called with invalid arguments[${one}, ${two}, ${three}, ${four}]`);
        }
      }
      Range2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.start) && Position.is(candidate.end);
      }
      Range2.is = is;
    })(Range || (Range = {}));
    (function(Location2) {
      function create(uri, range) {
        return { uri, range };
      }
      Location2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (Is.string(candidate.uri) || Is.undefined(candidate.uri));
      }
      Location2.is = is;
    })(Location || (Location = {}));
    (function(LocationLink2) {
      function create(targetUri, targetRange, targetSelectionRange, originSelectionRange) {
        return { targetUri, targetRange, targetSelectionRange, originSelectionRange };
      }
      LocationLink2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.targetRange) && Is.string(candidate.targetUri) && Range.is(candidate.targetSelectionRange) && (Range.is(candidate.originSelectionRange) || Is.undefined(candidate.originSelectionRange));
      }
      LocationLink2.is = is;
    })(LocationLink || (LocationLink = {}));
    (function(Color2) {
      function create(red, green, blue, alpha) {
        return {
          red,
          green,
          blue,
          alpha
        };
      }
      Color2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.numberRange(candidate.red, 0, 1) && Is.numberRange(candidate.green, 0, 1) && Is.numberRange(candidate.blue, 0, 1) && Is.numberRange(candidate.alpha, 0, 1);
      }
      Color2.is = is;
    })(Color || (Color = {}));
    (function(ColorInformation2) {
      function create(range, color) {
        return {
          range,
          color
        };
      }
      ColorInformation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && Color.is(candidate.color);
      }
      ColorInformation2.is = is;
    })(ColorInformation || (ColorInformation = {}));
    (function(ColorPresentation2) {
      function create(label, textEdit, additionalTextEdits) {
        return {
          label,
          textEdit,
          additionalTextEdits
        };
      }
      ColorPresentation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label) && (Is.undefined(candidate.textEdit) || TextEdit.is(candidate.textEdit)) && (Is.undefined(candidate.additionalTextEdits) || Is.typedArray(candidate.additionalTextEdits, TextEdit.is));
      }
      ColorPresentation2.is = is;
    })(ColorPresentation || (ColorPresentation = {}));
    (function(FoldingRangeKind2) {
      FoldingRangeKind2.Comment = "comment";
      FoldingRangeKind2.Imports = "imports";
      FoldingRangeKind2.Region = "region";
    })(FoldingRangeKind || (FoldingRangeKind = {}));
    (function(FoldingRange2) {
      function create(startLine, endLine, startCharacter, endCharacter, kind, collapsedText) {
        const result = {
          startLine,
          endLine
        };
        if (Is.defined(startCharacter)) {
          result.startCharacter = startCharacter;
        }
        if (Is.defined(endCharacter)) {
          result.endCharacter = endCharacter;
        }
        if (Is.defined(kind)) {
          result.kind = kind;
        }
        if (Is.defined(collapsedText)) {
          result.collapsedText = collapsedText;
        }
        return result;
      }
      FoldingRange2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.uinteger(candidate.startLine) && Is.uinteger(candidate.endLine) && (Is.undefined(candidate.startCharacter) || Is.uinteger(candidate.startCharacter)) && (Is.undefined(candidate.endCharacter) || Is.uinteger(candidate.endCharacter)) && (Is.undefined(candidate.kind) || Is.string(candidate.kind));
      }
      FoldingRange2.is = is;
    })(FoldingRange || (FoldingRange = {}));
    (function(DiagnosticRelatedInformation2) {
      function create(location, message) {
        return {
          location,
          message
        };
      }
      DiagnosticRelatedInformation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Location.is(candidate.location) && Is.string(candidate.message);
      }
      DiagnosticRelatedInformation2.is = is;
    })(DiagnosticRelatedInformation || (DiagnosticRelatedInformation = {}));
    (function(DiagnosticSeverity2) {
      DiagnosticSeverity2.Error = 1;
      DiagnosticSeverity2.Warning = 2;
      DiagnosticSeverity2.Information = 3;
      DiagnosticSeverity2.Hint = 4;
    })(DiagnosticSeverity || (DiagnosticSeverity = {}));
    (function(DiagnosticTag2) {
      DiagnosticTag2.Unnecessary = 1;
      DiagnosticTag2.Deprecated = 2;
    })(DiagnosticTag || (DiagnosticTag = {}));
    (function(CodeDescription2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.href);
      }
      CodeDescription2.is = is;
    })(CodeDescription || (CodeDescription = {}));
    (function(Diagnostic2) {
      function create(range, message, severity, code, source, relatedInformation) {
        const result = { range, message };
        if (Is.defined(severity)) {
          result.severity = severity;
        }
        if (Is.defined(code)) {
          result.code = code;
        }
        if (Is.defined(source)) {
          result.source = source;
        }
        if (Is.defined(relatedInformation)) {
          result.relatedInformation = relatedInformation;
        }
        return result;
      }
      Diagnostic2.create = create;
      function is(value) {
        var _a;
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.string(candidate.message) || MarkupContent.is(candidate.message)) && (Is.number(candidate.severity) || Is.undefined(candidate.severity)) && (Is.integer(candidate.code) || Is.string(candidate.code) || Is.undefined(candidate.code)) && (Is.undefined(candidate.codeDescription) || Is.string((_a = candidate.codeDescription) === null || _a === void 0 ? void 0 : _a.href)) && (Is.string(candidate.source) || Is.undefined(candidate.source)) && (Is.undefined(candidate.relatedInformation) || Is.typedArray(candidate.relatedInformation, DiagnosticRelatedInformation.is));
      }
      Diagnostic2.is = is;
      function is3_17(value) {
        return Is.string(value.message);
      }
      Diagnostic2.is3_17 = is3_17;
      function getMessageString(diagnostic) {
        if (Is.string(diagnostic.message)) {
          return diagnostic.message;
        } else if (MarkupContent.is(diagnostic.message)) {
          return diagnostic.message.value;
        } else {
          throw new Error(`Unknown message type ${typeof diagnostic.message}`);
        }
      }
      Diagnostic2.getMessageString = getMessageString;
    })(Diagnostic || (Diagnostic = {}));
    (function(Command2) {
      function create(title, command, ...args) {
        const result = { title, command };
        if (Is.defined(args) && args.length > 0) {
          result.arguments = args;
        }
        return result;
      }
      Command2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.title) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip)) && Is.string(candidate.command);
      }
      Command2.is = is;
    })(Command || (Command = {}));
    (function(TextEdit2) {
      function replace(range, newText) {
        return { range, newText };
      }
      TextEdit2.replace = replace;
      function insert(position, newText) {
        return { range: { start: position, end: position }, newText };
      }
      TextEdit2.insert = insert;
      function del(range) {
        return { range, newText: "" };
      }
      TextEdit2.del = del;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.newText) && Range.is(candidate.range);
      }
      TextEdit2.is = is;
    })(TextEdit || (TextEdit = {}));
    (function(ChangeAnnotation2) {
      function create(label, needsConfirmation, description) {
        const result = { label };
        if (needsConfirmation !== void 0) {
          result.needsConfirmation = needsConfirmation;
        }
        if (description !== void 0) {
          result.description = description;
        }
        return result;
      }
      ChangeAnnotation2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Is.string(candidate.label) && (Is.boolean(candidate.needsConfirmation) || candidate.needsConfirmation === void 0) && (Is.string(candidate.description) || candidate.description === void 0);
      }
      ChangeAnnotation2.is = is;
    })(ChangeAnnotation || (ChangeAnnotation = {}));
    (function(ChangeAnnotationIdentifier2) {
      function is(value) {
        const candidate = value;
        return Is.string(candidate);
      }
      ChangeAnnotationIdentifier2.is = is;
    })(ChangeAnnotationIdentifier || (ChangeAnnotationIdentifier = {}));
    (function(AnnotatedTextEdit2) {
      function replace(range, newText, annotation) {
        return { range, newText, annotationId: annotation };
      }
      AnnotatedTextEdit2.replace = replace;
      function insert(position, newText, annotation) {
        return { range: { start: position, end: position }, newText, annotationId: annotation };
      }
      AnnotatedTextEdit2.insert = insert;
      function del(range, annotation) {
        return { range, newText: "", annotationId: annotation };
      }
      AnnotatedTextEdit2.del = del;
      function is(value) {
        const candidate = value;
        return TextEdit.is(candidate) && (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      AnnotatedTextEdit2.is = is;
    })(AnnotatedTextEdit || (AnnotatedTextEdit = {}));
    (function(TextDocumentEdit2) {
      function create(textDocument, edits) {
        return { textDocument, edits };
      }
      TextDocumentEdit2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && OptionalVersionedTextDocumentIdentifier.is(candidate.textDocument) && Array.isArray(candidate.edits);
      }
      TextDocumentEdit2.is = is;
    })(TextDocumentEdit || (TextDocumentEdit = {}));
    (function(CreateFile2) {
      function create(uri, options, annotation) {
        const result = {
          kind: "create",
          uri
        };
        if (options !== void 0 && (options.overwrite !== void 0 || options.ignoreIfExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      CreateFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "create" && Is.string(candidate.uri) && (candidate.options === void 0 || (candidate.options.overwrite === void 0 || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === void 0 || Is.boolean(candidate.options.ignoreIfExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      CreateFile2.is = is;
    })(CreateFile || (CreateFile = {}));
    (function(RenameFile2) {
      function create(oldUri, newUri, options, annotation) {
        const result = {
          kind: "rename",
          oldUri,
          newUri
        };
        if (options !== void 0 && (options.overwrite !== void 0 || options.ignoreIfExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      RenameFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "rename" && Is.string(candidate.oldUri) && Is.string(candidate.newUri) && (candidate.options === void 0 || (candidate.options.overwrite === void 0 || Is.boolean(candidate.options.overwrite)) && (candidate.options.ignoreIfExists === void 0 || Is.boolean(candidate.options.ignoreIfExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      RenameFile2.is = is;
    })(RenameFile || (RenameFile = {}));
    (function(DeleteFile2) {
      function create(uri, options, annotation) {
        const result = {
          kind: "delete",
          uri
        };
        if (options !== void 0 && (options.recursive !== void 0 || options.ignoreIfNotExists !== void 0)) {
          result.options = options;
        }
        if (annotation !== void 0) {
          result.annotationId = annotation;
        }
        return result;
      }
      DeleteFile2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && candidate.kind === "delete" && Is.string(candidate.uri) && (candidate.options === void 0 || (candidate.options.recursive === void 0 || Is.boolean(candidate.options.recursive)) && (candidate.options.ignoreIfNotExists === void 0 || Is.boolean(candidate.options.ignoreIfNotExists))) && (candidate.annotationId === void 0 || ChangeAnnotationIdentifier.is(candidate.annotationId));
      }
      DeleteFile2.is = is;
    })(DeleteFile || (DeleteFile = {}));
    (function(WorkspaceEdit2) {
      function is(value) {
        const candidate = value;
        return candidate && (candidate.changes !== void 0 || candidate.documentChanges !== void 0) && (candidate.documentChanges === void 0 || candidate.documentChanges.every((change) => {
          if (Is.string(change.kind)) {
            return CreateFile.is(change) || RenameFile.is(change) || DeleteFile.is(change);
          } else {
            return TextDocumentEdit.is(change);
          }
        }));
      }
      WorkspaceEdit2.is = is;
    })(WorkspaceEdit || (WorkspaceEdit = {}));
    TextEditChangeImpl = class {
      constructor(edits, changeAnnotations) {
        this.edits = edits;
        this.changeAnnotations = changeAnnotations;
      }
      insert(position, newText, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.insert(position, newText);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.insert(position, newText, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.insert(position, newText, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      replace(range, newText, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.replace(range, newText);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.replace(range, newText, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.replace(range, newText, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      delete(range, annotation) {
        let edit;
        let id;
        if (annotation === void 0) {
          edit = TextEdit.del(range);
        } else if (ChangeAnnotationIdentifier.is(annotation)) {
          id = annotation;
          edit = AnnotatedTextEdit.del(range, annotation);
        } else {
          this.assertChangeAnnotations(this.changeAnnotations);
          id = this.changeAnnotations.manage(annotation);
          edit = AnnotatedTextEdit.del(range, id);
        }
        this.edits.push(edit);
        if (id !== void 0) {
          return id;
        }
      }
      add(edit) {
        this.edits.push(edit);
      }
      all() {
        return this.edits;
      }
      clear() {
        this.edits.splice(0, this.edits.length);
      }
      assertChangeAnnotations(value) {
        if (value === void 0) {
          throw new Error(`Text edit change is not configured to manage change annotations.`);
        }
      }
    };
    (function(SnippetTextEdit2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && StringValue.isSnippet(candidate.snippet) && (candidate.annotationId === void 0 || (ChangeAnnotation.is(candidate.annotationId) || ChangeAnnotationIdentifier.is(candidate.annotationId)));
      }
      SnippetTextEdit2.is = is;
    })(SnippetTextEdit || (SnippetTextEdit = {}));
    ChangeAnnotations = class {
      constructor(annotations) {
        this._annotations = annotations === void 0 ? /* @__PURE__ */ Object.create(null) : annotations;
        this._counter = 0;
        this._size = 0;
      }
      all() {
        return this._annotations;
      }
      get size() {
        return this._size;
      }
      manage(idOrAnnotation, annotation) {
        let id;
        if (ChangeAnnotationIdentifier.is(idOrAnnotation)) {
          id = idOrAnnotation;
        } else {
          id = this.nextId();
          annotation = idOrAnnotation;
        }
        if (this._annotations[id] !== void 0) {
          throw new Error(`Id ${id} is already in use.`);
        }
        if (annotation === void 0) {
          throw new Error(`No annotation provided for id ${id}`);
        }
        this._annotations[id] = annotation;
        this._size++;
        return id;
      }
      nextId() {
        this._counter++;
        return this._counter.toString();
      }
    };
    WorkspaceChange = class {
      constructor(workspaceEdit) {
        this._textEditChanges = /* @__PURE__ */ Object.create(null);
        if (workspaceEdit !== void 0) {
          this._workspaceEdit = workspaceEdit;
          if (workspaceEdit.documentChanges) {
            this._changeAnnotations = new ChangeAnnotations(workspaceEdit.changeAnnotations);
            workspaceEdit.changeAnnotations = this._changeAnnotations.all();
            workspaceEdit.documentChanges.forEach((change) => {
              if (TextDocumentEdit.is(change)) {
                const textEditChange = new TextEditChangeImpl(change.edits, this._changeAnnotations);
                this._textEditChanges[change.textDocument.uri] = textEditChange;
              }
            });
          } else if (workspaceEdit.changes) {
            Object.keys(workspaceEdit.changes).forEach((key) => {
              const textEditChange = new TextEditChangeImpl(workspaceEdit.changes[key]);
              this._textEditChanges[key] = textEditChange;
            });
          }
        } else {
          this._workspaceEdit = {};
        }
      }
      /**
       * Returns the underlying {@link WorkspaceEdit} literal
       * use to be returned from a workspace edit operation like rename.
       */
      get edit() {
        this.initDocumentChanges();
        if (this._changeAnnotations !== void 0) {
          if (this._changeAnnotations.size === 0) {
            this._workspaceEdit.changeAnnotations = void 0;
          } else {
            this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
          }
        }
        return this._workspaceEdit;
      }
      getTextEditChange(key) {
        if (OptionalVersionedTextDocumentIdentifier.is(key)) {
          this.initDocumentChanges();
          if (this._workspaceEdit.documentChanges === void 0) {
            throw new Error("Workspace edit is not configured for document changes.");
          }
          const textDocument = { uri: key.uri, version: key.version };
          let result = this._textEditChanges[textDocument.uri];
          if (!result) {
            const edits = [];
            const textDocumentEdit = {
              textDocument,
              edits
            };
            this._workspaceEdit.documentChanges.push(textDocumentEdit);
            result = new TextEditChangeImpl(edits, this._changeAnnotations);
            this._textEditChanges[textDocument.uri] = result;
          }
          return result;
        } else {
          this.initChanges();
          if (this._workspaceEdit.changes === void 0) {
            throw new Error("Workspace edit is not configured for normal text edit changes.");
          }
          let result = this._textEditChanges[key];
          if (!result) {
            const edits = [];
            this._workspaceEdit.changes[key] = edits;
            result = new TextEditChangeImpl(edits);
            this._textEditChanges[key] = result;
          }
          return result;
        }
      }
      initDocumentChanges() {
        if (this._workspaceEdit.documentChanges === void 0 && this._workspaceEdit.changes === void 0) {
          this._changeAnnotations = new ChangeAnnotations();
          this._workspaceEdit.documentChanges = [];
          this._workspaceEdit.changeAnnotations = this._changeAnnotations.all();
        }
      }
      initChanges() {
        if (this._workspaceEdit.documentChanges === void 0 && this._workspaceEdit.changes === void 0) {
          this._workspaceEdit.changes = /* @__PURE__ */ Object.create(null);
        }
      }
      createFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = CreateFile.create(uri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = CreateFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
      renameFile(oldUri, newUri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = RenameFile.create(oldUri, newUri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = RenameFile.create(oldUri, newUri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
      deleteFile(uri, optionsOrAnnotation, options) {
        this.initDocumentChanges();
        if (this._workspaceEdit.documentChanges === void 0) {
          throw new Error("Workspace edit is not configured for document changes.");
        }
        let annotation;
        if (ChangeAnnotation.is(optionsOrAnnotation) || ChangeAnnotationIdentifier.is(optionsOrAnnotation)) {
          annotation = optionsOrAnnotation;
        } else {
          options = optionsOrAnnotation;
        }
        let operation;
        let id;
        if (annotation === void 0) {
          operation = DeleteFile.create(uri, options);
        } else {
          id = ChangeAnnotationIdentifier.is(annotation) ? annotation : this._changeAnnotations.manage(annotation);
          operation = DeleteFile.create(uri, options, id);
        }
        this._workspaceEdit.documentChanges.push(operation);
        if (id !== void 0) {
          return id;
        }
      }
    };
    (function(TextDocumentIdentifier2) {
      function create(uri) {
        return { uri };
      }
      TextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri);
      }
      TextDocumentIdentifier2.is = is;
    })(TextDocumentIdentifier || (TextDocumentIdentifier = {}));
    (function(VersionedTextDocumentIdentifier2) {
      function create(uri, version) {
        return { uri, version };
      }
      VersionedTextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.integer(candidate.version);
      }
      VersionedTextDocumentIdentifier2.is = is;
    })(VersionedTextDocumentIdentifier || (VersionedTextDocumentIdentifier = {}));
    (function(OptionalVersionedTextDocumentIdentifier2) {
      function create(uri, version) {
        return { uri, version };
      }
      OptionalVersionedTextDocumentIdentifier2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (candidate.version === null || Is.integer(candidate.version));
      }
      OptionalVersionedTextDocumentIdentifier2.is = is;
    })(OptionalVersionedTextDocumentIdentifier || (OptionalVersionedTextDocumentIdentifier = {}));
    (function(LanguageKind2) {
      LanguageKind2.ABAP = "abap";
      LanguageKind2.WindowsBat = "bat";
      LanguageKind2.BibTeX = "bibtex";
      LanguageKind2.Clojure = "clojure";
      LanguageKind2.Coffeescript = "coffeescript";
      LanguageKind2.C = "c";
      LanguageKind2.CPP = "cpp";
      LanguageKind2.CSharp = "csharp";
      LanguageKind2.CSS = "css";
      LanguageKind2.D = "d";
      LanguageKind2.Delphi = "pascal";
      LanguageKind2.Diff = "diff";
      LanguageKind2.Dart = "dart";
      LanguageKind2.Dockerfile = "dockerfile";
      LanguageKind2.Elixir = "elixir";
      LanguageKind2.Erlang = "erlang";
      LanguageKind2.FSharp = "fsharp";
      LanguageKind2.GitCommit = "git-commit";
      LanguageKind2.GitRebase = "git-rebase";
      LanguageKind2.Go = "go";
      LanguageKind2.Groovy = "groovy";
      LanguageKind2.Handlebars = "handlebars";
      LanguageKind2.Haskell = "haskell";
      LanguageKind2.HTML = "html";
      LanguageKind2.Ini = "ini";
      LanguageKind2.Java = "java";
      LanguageKind2.JavaScript = "javascript";
      LanguageKind2.JavaScriptReact = "javascriptreact";
      LanguageKind2.JSON = "json";
      LanguageKind2.LaTeX = "latex";
      LanguageKind2.Less = "less";
      LanguageKind2.Lua = "lua";
      LanguageKind2.Makefile = "makefile";
      LanguageKind2.Markdown = "markdown";
      LanguageKind2.ObjectiveC = "objective-c";
      LanguageKind2.ObjectiveCPP = "objective-cpp";
      LanguageKind2.Pascal = "pascal";
      LanguageKind2.Perl = "perl";
      LanguageKind2.Perl6 = "perl6";
      LanguageKind2.PHP = "php";
      LanguageKind2.Plaintext = "plaintext";
      LanguageKind2.Powershell = "powershell";
      LanguageKind2.Pug = "jade";
      LanguageKind2.Python = "python";
      LanguageKind2.R = "r";
      LanguageKind2.Razor = "razor";
      LanguageKind2.Ruby = "ruby";
      LanguageKind2.Rust = "rust";
      LanguageKind2.SCSS = "scss";
      LanguageKind2.SASS = "sass";
      LanguageKind2.Scala = "scala";
      LanguageKind2.ShaderLab = "shaderlab";
      LanguageKind2.ShellScript = "shellscript";
      LanguageKind2.SQL = "sql";
      LanguageKind2.Swift = "swift";
      LanguageKind2.TypeScript = "typescript";
      LanguageKind2.TypeScriptReact = "typescriptreact";
      LanguageKind2.TeX = "tex";
      LanguageKind2.VisualBasic = "vb";
      LanguageKind2.XML = "xml";
      LanguageKind2.XSL = "xsl";
      LanguageKind2.YAML = "yaml";
    })(LanguageKind || (LanguageKind = {}));
    (function(TextDocumentItem2) {
      function create(uri, languageId, version, text) {
        return { uri, languageId, version, text };
      }
      TextDocumentItem2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && Is.string(candidate.languageId) && Is.integer(candidate.version) && Is.string(candidate.text);
      }
      TextDocumentItem2.is = is;
    })(TextDocumentItem || (TextDocumentItem = {}));
    (function(MarkupKind2) {
      MarkupKind2.PlainText = "plaintext";
      MarkupKind2.Markdown = "markdown";
      function is(value) {
        const candidate = value;
        return candidate === MarkupKind2.PlainText || candidate === MarkupKind2.Markdown;
      }
      MarkupKind2.is = is;
    })(MarkupKind || (MarkupKind = {}));
    (function(MarkupContent2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(value) && MarkupKind.is(candidate.kind) && Is.string(candidate.value);
      }
      MarkupContent2.is = is;
    })(MarkupContent || (MarkupContent = {}));
    (function(CompletionItemKind2) {
      CompletionItemKind2.Text = 1;
      CompletionItemKind2.Method = 2;
      CompletionItemKind2.Function = 3;
      CompletionItemKind2.Constructor = 4;
      CompletionItemKind2.Field = 5;
      CompletionItemKind2.Variable = 6;
      CompletionItemKind2.Class = 7;
      CompletionItemKind2.Interface = 8;
      CompletionItemKind2.Module = 9;
      CompletionItemKind2.Property = 10;
      CompletionItemKind2.Unit = 11;
      CompletionItemKind2.Value = 12;
      CompletionItemKind2.Enum = 13;
      CompletionItemKind2.Keyword = 14;
      CompletionItemKind2.Snippet = 15;
      CompletionItemKind2.Color = 16;
      CompletionItemKind2.File = 17;
      CompletionItemKind2.Reference = 18;
      CompletionItemKind2.Folder = 19;
      CompletionItemKind2.EnumMember = 20;
      CompletionItemKind2.Constant = 21;
      CompletionItemKind2.Struct = 22;
      CompletionItemKind2.Event = 23;
      CompletionItemKind2.Operator = 24;
      CompletionItemKind2.TypeParameter = 25;
    })(CompletionItemKind || (CompletionItemKind = {}));
    (function(InsertTextFormat2) {
      InsertTextFormat2.PlainText = 1;
      InsertTextFormat2.Snippet = 2;
    })(InsertTextFormat || (InsertTextFormat = {}));
    (function(CompletionItemTag2) {
      CompletionItemTag2.Deprecated = 1;
    })(CompletionItemTag || (CompletionItemTag = {}));
    (function(InsertReplaceEdit2) {
      function create(newText, insert, replace) {
        return { newText, insert, replace };
      }
      InsertReplaceEdit2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.newText) && Range.is(candidate.insert) && Range.is(candidate.replace);
      }
      InsertReplaceEdit2.is = is;
    })(InsertReplaceEdit || (InsertReplaceEdit = {}));
    (function(InsertTextMode2) {
      InsertTextMode2.asIs = 1;
      InsertTextMode2.adjustIndentation = 2;
    })(InsertTextMode || (InsertTextMode = {}));
    (function(ApplyKind2) {
      ApplyKind2.Replace = 1;
      ApplyKind2.Merge = 2;
    })(ApplyKind || (ApplyKind = {}));
    (function(CompletionItemLabelDetails2) {
      function is(value) {
        const candidate = value;
        return candidate && (Is.string(candidate.detail) || candidate.detail === void 0) && (Is.string(candidate.description) || candidate.description === void 0);
      }
      CompletionItemLabelDetails2.is = is;
    })(CompletionItemLabelDetails || (CompletionItemLabelDetails = {}));
    (function(CompletionItem2) {
      function create(label) {
        return { label };
      }
      CompletionItem2.create = create;
    })(CompletionItem || (CompletionItem = {}));
    (function(CompletionList2) {
      function create(items, isIncomplete) {
        return { items: items ? items : [], isIncomplete: !!isIncomplete };
      }
      CompletionList2.create = create;
    })(CompletionList || (CompletionList = {}));
    (function(MarkedString2) {
      function fromPlainText(plainText) {
        return plainText.replace(/[\\`*_{}[\]()#+\-.!]/g, "\\$&");
      }
      MarkedString2.fromPlainText = fromPlainText;
      function is(value) {
        const candidate = value;
        return Is.string(candidate) || Is.objectLiteral(candidate) && Is.string(candidate.language) && Is.string(candidate.value);
      }
      MarkedString2.is = is;
    })(MarkedString || (MarkedString = {}));
    (function(Hover2) {
      function is(value) {
        const candidate = value;
        return !!candidate && Is.objectLiteral(candidate) && (MarkupContent.is(candidate.contents) || MarkedString.is(candidate.contents) || Is.typedArray(candidate.contents, MarkedString.is)) && (value.range === void 0 || Range.is(value.range));
      }
      Hover2.is = is;
    })(Hover || (Hover = {}));
    (function(ParameterInformation2) {
      function create(label, documentation) {
        return documentation ? { label, documentation } : { label };
      }
      ParameterInformation2.create = create;
    })(ParameterInformation || (ParameterInformation = {}));
    (function(SignatureInformation2) {
      function create(label, documentation, ...parameters) {
        const result = { label };
        if (Is.defined(documentation)) {
          result.documentation = documentation;
        }
        if (Is.defined(parameters)) {
          result.parameters = parameters;
        } else {
          result.parameters = [];
        }
        return result;
      }
      SignatureInformation2.create = create;
    })(SignatureInformation || (SignatureInformation = {}));
    (function(DocumentHighlightKind2) {
      DocumentHighlightKind2.Text = 1;
      DocumentHighlightKind2.Read = 2;
      DocumentHighlightKind2.Write = 3;
    })(DocumentHighlightKind || (DocumentHighlightKind = {}));
    (function(DocumentHighlight2) {
      function create(range, kind) {
        const result = { range };
        if (Is.number(kind)) {
          result.kind = kind;
        }
        return result;
      }
      DocumentHighlight2.create = create;
    })(DocumentHighlight || (DocumentHighlight = {}));
    (function(SymbolKind2) {
      SymbolKind2.File = 1;
      SymbolKind2.Module = 2;
      SymbolKind2.Namespace = 3;
      SymbolKind2.Package = 4;
      SymbolKind2.Class = 5;
      SymbolKind2.Method = 6;
      SymbolKind2.Property = 7;
      SymbolKind2.Field = 8;
      SymbolKind2.Constructor = 9;
      SymbolKind2.Enum = 10;
      SymbolKind2.Interface = 11;
      SymbolKind2.Function = 12;
      SymbolKind2.Variable = 13;
      SymbolKind2.Constant = 14;
      SymbolKind2.String = 15;
      SymbolKind2.Number = 16;
      SymbolKind2.Boolean = 17;
      SymbolKind2.Array = 18;
      SymbolKind2.Object = 19;
      SymbolKind2.Key = 20;
      SymbolKind2.Null = 21;
      SymbolKind2.EnumMember = 22;
      SymbolKind2.Struct = 23;
      SymbolKind2.Event = 24;
      SymbolKind2.Operator = 25;
      SymbolKind2.TypeParameter = 26;
    })(SymbolKind || (SymbolKind = {}));
    (function(SymbolTag2) {
      SymbolTag2.Deprecated = 1;
    })(SymbolTag || (SymbolTag = {}));
    (function(SymbolInformation2) {
      function create(name, kind, range, uri, containerName) {
        const result = {
          name,
          kind,
          location: { uri, range }
        };
        if (containerName) {
          result.containerName = containerName;
        }
        return result;
      }
      SymbolInformation2.create = create;
    })(SymbolInformation || (SymbolInformation = {}));
    (function(WorkspaceSymbol2) {
      function create(name, kind, uri, range) {
        return range !== void 0 ? { name, kind, location: { uri, range } } : { name, kind, location: { uri } };
      }
      WorkspaceSymbol2.create = create;
    })(WorkspaceSymbol || (WorkspaceSymbol = {}));
    (function(DocumentSymbol2) {
      function create(name, detail, kind, range, selectionRange, children) {
        const result = {
          name,
          detail,
          kind,
          range,
          selectionRange
        };
        if (children !== void 0) {
          result.children = children;
        }
        return result;
      }
      DocumentSymbol2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.name) && Is.number(candidate.kind) && Range.is(candidate.range) && Range.is(candidate.selectionRange) && (candidate.detail === void 0 || Is.string(candidate.detail)) && (candidate.deprecated === void 0 || Is.boolean(candidate.deprecated)) && (candidate.children === void 0 || Array.isArray(candidate.children)) && (candidate.tags === void 0 || Array.isArray(candidate.tags));
      }
      DocumentSymbol2.is = is;
    })(DocumentSymbol || (DocumentSymbol = {}));
    (function(CodeActionKind2) {
      CodeActionKind2.Empty = "";
      CodeActionKind2.QuickFix = "quickfix";
      CodeActionKind2.Refactor = "refactor";
      CodeActionKind2.RefactorExtract = "refactor.extract";
      CodeActionKind2.RefactorInline = "refactor.inline";
      CodeActionKind2.RefactorMove = "refactor.move";
      CodeActionKind2.RefactorRewrite = "refactor.rewrite";
      CodeActionKind2.Source = "source";
      CodeActionKind2.SourceOrganizeImports = "source.organizeImports";
      CodeActionKind2.SourceFixAll = "source.fixAll";
      CodeActionKind2.Notebook = "notebook";
    })(CodeActionKind || (CodeActionKind = {}));
    (function(CodeActionTriggerKind2) {
      CodeActionTriggerKind2.Invoked = 1;
      CodeActionTriggerKind2.Automatic = 2;
    })(CodeActionTriggerKind || (CodeActionTriggerKind = {}));
    (function(CodeActionContext2) {
      function create(diagnostics, only, triggerKind) {
        const result = { diagnostics };
        if (only !== void 0 && only !== null) {
          result.only = only;
        }
        if (triggerKind !== void 0 && triggerKind !== null) {
          result.triggerKind = triggerKind;
        }
        return result;
      }
      CodeActionContext2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.typedArray(candidate.diagnostics, Diagnostic.is) && (candidate.only === void 0 || Is.typedArray(candidate.only, Is.string)) && (candidate.triggerKind === void 0 || candidate.triggerKind === CodeActionTriggerKind.Invoked || candidate.triggerKind === CodeActionTriggerKind.Automatic);
      }
      CodeActionContext2.is = is;
    })(CodeActionContext || (CodeActionContext = {}));
    (function(CodeActionTag2) {
      CodeActionTag2.LLMGenerated = 1;
      function is(value) {
        return Is.defined(value) && value === CodeActionTag2.LLMGenerated;
      }
      CodeActionTag2.is = is;
    })(CodeActionTag || (CodeActionTag = {}));
    (function(CodeAction2) {
      function create(title, kindOrCommandOrEdit, kind) {
        const result = { title };
        let checkKind = true;
        if (typeof kindOrCommandOrEdit === "string") {
          checkKind = false;
          result.kind = kindOrCommandOrEdit;
        } else if (Command.is(kindOrCommandOrEdit)) {
          result.command = kindOrCommandOrEdit;
        } else {
          result.edit = kindOrCommandOrEdit;
        }
        if (checkKind && kind !== void 0) {
          result.kind = kind;
        }
        return result;
      }
      CodeAction2.create = create;
      function is(value) {
        const candidate = value;
        return candidate && Is.string(candidate.title) && (candidate.diagnostics === void 0 || Is.typedArray(candidate.diagnostics, Diagnostic.is)) && (candidate.kind === void 0 || Is.string(candidate.kind)) && (candidate.edit !== void 0 || candidate.command !== void 0) && (candidate.command === void 0 || Command.is(candidate.command)) && (candidate.isPreferred === void 0 || Is.boolean(candidate.isPreferred)) && (candidate.edit === void 0 || WorkspaceEdit.is(candidate.edit)) && (candidate.tags === void 0 || Is.typedArray(candidate.tags, CodeActionTag.is));
      }
      CodeAction2.is = is;
    })(CodeAction || (CodeAction = {}));
    (function(CodeLens2) {
      function create(range, data) {
        const result = { range };
        if (Is.defined(data)) {
          result.data = data;
        }
        return result;
      }
      CodeLens2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.command) || Command.is(candidate.command));
      }
      CodeLens2.is = is;
    })(CodeLens || (CodeLens = {}));
    (function(FormattingOptions2) {
      function create(tabSize, insertSpaces) {
        return { tabSize, insertSpaces };
      }
      FormattingOptions2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.uinteger(candidate.tabSize) && Is.boolean(candidate.insertSpaces);
      }
      FormattingOptions2.is = is;
    })(FormattingOptions || (FormattingOptions = {}));
    (function(DocumentLink2) {
      function create(range, target, data) {
        return { range, target, data };
      }
      DocumentLink2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(candidate.range) && (Is.undefined(candidate.target) || Is.string(candidate.target));
      }
      DocumentLink2.is = is;
    })(DocumentLink || (DocumentLink = {}));
    (function(SelectionRange2) {
      function create(range, parent) {
        return { range, parent };
      }
      SelectionRange2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Range.is(candidate.range) && (candidate.parent === void 0 || SelectionRange2.is(candidate.parent));
      }
      SelectionRange2.is = is;
    })(SelectionRange || (SelectionRange = {}));
    (function(SemanticTokenTypes2) {
      SemanticTokenTypes2["namespace"] = "namespace";
      SemanticTokenTypes2["type"] = "type";
      SemanticTokenTypes2["class"] = "class";
      SemanticTokenTypes2["enum"] = "enum";
      SemanticTokenTypes2["interface"] = "interface";
      SemanticTokenTypes2["struct"] = "struct";
      SemanticTokenTypes2["typeParameter"] = "typeParameter";
      SemanticTokenTypes2["parameter"] = "parameter";
      SemanticTokenTypes2["variable"] = "variable";
      SemanticTokenTypes2["property"] = "property";
      SemanticTokenTypes2["enumMember"] = "enumMember";
      SemanticTokenTypes2["event"] = "event";
      SemanticTokenTypes2["function"] = "function";
      SemanticTokenTypes2["method"] = "method";
      SemanticTokenTypes2["macro"] = "macro";
      SemanticTokenTypes2["keyword"] = "keyword";
      SemanticTokenTypes2["modifier"] = "modifier";
      SemanticTokenTypes2["comment"] = "comment";
      SemanticTokenTypes2["string"] = "string";
      SemanticTokenTypes2["number"] = "number";
      SemanticTokenTypes2["regexp"] = "regexp";
      SemanticTokenTypes2["operator"] = "operator";
      SemanticTokenTypes2["decorator"] = "decorator";
      SemanticTokenTypes2["label"] = "label";
    })(SemanticTokenTypes || (SemanticTokenTypes = {}));
    (function(SemanticTokenModifiers2) {
      SemanticTokenModifiers2["declaration"] = "declaration";
      SemanticTokenModifiers2["definition"] = "definition";
      SemanticTokenModifiers2["readonly"] = "readonly";
      SemanticTokenModifiers2["static"] = "static";
      SemanticTokenModifiers2["deprecated"] = "deprecated";
      SemanticTokenModifiers2["abstract"] = "abstract";
      SemanticTokenModifiers2["async"] = "async";
      SemanticTokenModifiers2["modification"] = "modification";
      SemanticTokenModifiers2["documentation"] = "documentation";
      SemanticTokenModifiers2["defaultLibrary"] = "defaultLibrary";
    })(SemanticTokenModifiers || (SemanticTokenModifiers = {}));
    (function(SemanticTokens2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && (candidate.resultId === void 0 || typeof candidate.resultId === "string") && Array.isArray(candidate.data) && (candidate.data.length === 0 || typeof candidate.data[0] === "number");
      }
      SemanticTokens2.is = is;
    })(SemanticTokens || (SemanticTokens = {}));
    (function(InlineValueText2) {
      function create(range, text) {
        return { range, text };
      }
      InlineValueText2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && Is.string(candidate.text);
      }
      InlineValueText2.is = is;
    })(InlineValueText || (InlineValueText = {}));
    (function(InlineValueVariableLookup2) {
      function create(range, variableName, caseSensitiveLookup) {
        return { range, variableName, caseSensitiveLookup };
      }
      InlineValueVariableLookup2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && Is.boolean(candidate.caseSensitiveLookup) && (Is.string(candidate.variableName) || candidate.variableName === void 0);
      }
      InlineValueVariableLookup2.is = is;
    })(InlineValueVariableLookup || (InlineValueVariableLookup = {}));
    (function(InlineValueEvaluatableExpression2) {
      function create(range, expression) {
        return { range, expression };
      }
      InlineValueEvaluatableExpression2.create = create;
      function is(value) {
        const candidate = value;
        return candidate !== void 0 && candidate !== null && Range.is(candidate.range) && (Is.string(candidate.expression) || candidate.expression === void 0);
      }
      InlineValueEvaluatableExpression2.is = is;
    })(InlineValueEvaluatableExpression || (InlineValueEvaluatableExpression = {}));
    (function(InlineValueContext2) {
      function create(frameId, stoppedLocation) {
        return { frameId, stoppedLocation };
      }
      InlineValueContext2.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Range.is(value.stoppedLocation);
      }
      InlineValueContext2.is = is;
    })(InlineValueContext || (InlineValueContext = {}));
    (function(InlayHintKind2) {
      InlayHintKind2.Type = 1;
      InlayHintKind2.Parameter = 2;
      function is(value) {
        return value === 1 || value === 2;
      }
      InlayHintKind2.is = is;
    })(InlayHintKind || (InlayHintKind = {}));
    (function(InlayHintLabelPart2) {
      function create(value) {
        return { value };
      }
      InlayHintLabelPart2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip)) && (candidate.location === void 0 || Location.is(candidate.location)) && (candidate.command === void 0 || Command.is(candidate.command));
      }
      InlayHintLabelPart2.is = is;
    })(InlayHintLabelPart || (InlayHintLabelPart = {}));
    (function(InlayHint2) {
      function create(position, label, kind) {
        const result = { position, label };
        if (kind !== void 0) {
          result.kind = kind;
        }
        return result;
      }
      InlayHint2.create = create;
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && Position.is(candidate.position) && (Is.string(candidate.label) || Is.typedArray(candidate.label, InlayHintLabelPart.is)) && (candidate.kind === void 0 || InlayHintKind.is(candidate.kind)) && candidate.textEdits === void 0 || Is.typedArray(candidate.textEdits, TextEdit.is) && (candidate.tooltip === void 0 || Is.string(candidate.tooltip) || MarkupContent.is(candidate.tooltip)) && (candidate.paddingLeft === void 0 || Is.boolean(candidate.paddingLeft)) && (candidate.paddingRight === void 0 || Is.boolean(candidate.paddingRight));
      }
      InlayHint2.is = is;
    })(InlayHint || (InlayHint = {}));
    (function(StringValue2) {
      function createSnippet(value) {
        return { kind: "snippet", value };
      }
      StringValue2.createSnippet = createSnippet;
      function isSnippet(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && candidate.kind === "snippet" && Is.string(candidate.value);
      }
      StringValue2.isSnippet = isSnippet;
    })(StringValue || (StringValue = {}));
    (function(InlineCompletionItem2) {
      function create(insertText, filterText, range, command) {
        return { insertText, filterText, range, command };
      }
      InlineCompletionItem2.create = create;
    })(InlineCompletionItem || (InlineCompletionItem = {}));
    (function(InlineCompletionList2) {
      function create(items) {
        return { items };
      }
      InlineCompletionList2.create = create;
    })(InlineCompletionList || (InlineCompletionList = {}));
    (function(InlineCompletionTriggerKind2) {
      InlineCompletionTriggerKind2.Invoked = 1;
      InlineCompletionTriggerKind2.Automatic = 2;
    })(InlineCompletionTriggerKind || (InlineCompletionTriggerKind = {}));
    (function(SelectedCompletionInfo2) {
      function create(range, text) {
        return { range, text };
      }
      SelectedCompletionInfo2.create = create;
    })(SelectedCompletionInfo || (SelectedCompletionInfo = {}));
    (function(InlineCompletionContext2) {
      function create(triggerKind, selectedCompletionInfo) {
        return { triggerKind, selectedCompletionInfo };
      }
      InlineCompletionContext2.create = create;
    })(InlineCompletionContext || (InlineCompletionContext = {}));
    (function(WorkspaceFolder2) {
      function is(value) {
        const candidate = value;
        return Is.objectLiteral(candidate) && URI.is(candidate.uri) && Is.string(candidate.name);
      }
      WorkspaceFolder2.is = is;
    })(WorkspaceFolder || (WorkspaceFolder = {}));
    EOL = ["\n", "\r\n", "\r"];
    (function(TextDocument3) {
      function create(uri, languageId, version, content) {
        return new FullTextDocument(uri, languageId, version, content);
      }
      TextDocument3.create = create;
      function is(value) {
        const candidate = value;
        return Is.defined(candidate) && Is.string(candidate.uri) && (Is.undefined(candidate.languageId) || Is.string(candidate.languageId)) && Is.uinteger(candidate.lineCount) && Is.func(candidate.getText) && Is.func(candidate.positionAt) && Is.func(candidate.offsetAt) ? true : false;
      }
      TextDocument3.is = is;
      function applyEdits(document, edits) {
        let text = document.getText();
        const sortedEdits = mergeSort2(edits, (a, b) => {
          const diff = a.range.start.line - b.range.start.line;
          if (diff === 0) {
            return a.range.start.character - b.range.start.character;
          }
          return diff;
        });
        let lastModifiedOffset = text.length;
        for (let i2 = sortedEdits.length - 1; i2 >= 0; i2--) {
          const e = sortedEdits[i2];
          const startOffset = document.offsetAt(e.range.start);
          const endOffset = document.offsetAt(e.range.end);
          if (endOffset <= lastModifiedOffset) {
            text = text.substring(0, startOffset) + e.newText + text.substring(endOffset, text.length);
          } else {
            throw new Error("Overlapping edit");
          }
          lastModifiedOffset = startOffset;
        }
        return text;
      }
      TextDocument3.applyEdits = applyEdits;
      function mergeSort2(data, compare) {
        if (data.length <= 1) {
          return data;
        }
        const p = data.length / 2 | 0;
        const left = data.slice(0, p);
        const right = data.slice(p);
        mergeSort2(left, compare);
        mergeSort2(right, compare);
        let leftIdx = 0;
        let rightIdx = 0;
        let i2 = 0;
        while (leftIdx < left.length && rightIdx < right.length) {
          const ret = compare(left[leftIdx], right[rightIdx]);
          if (ret <= 0) {
            data[i2++] = left[leftIdx++];
          } else {
            data[i2++] = right[rightIdx++];
          }
        }
        while (leftIdx < left.length) {
          data[i2++] = left[leftIdx++];
        }
        while (rightIdx < right.length) {
          data[i2++] = right[rightIdx++];
        }
        return data;
      }
    })(TextDocument || (TextDocument = {}));
    FullTextDocument = class {
      constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = void 0;
      }
      get uri() {
        return this._uri;
      }
      get languageId() {
        return this._languageId;
      }
      get version() {
        return this._version;
      }
      getText(range) {
        if (range) {
          const start = this.offsetAt(range.start);
          const end = this.offsetAt(range.end);
          return this._content.substring(start, end);
        }
        return this._content;
      }
      update(event, version) {
        this._content = event.text;
        this._version = version;
        this._lineOffsets = void 0;
      }
      getLineOffsets() {
        if (this._lineOffsets === void 0) {
          const lineOffsets = [];
          const text = this._content;
          let isLineStart = true;
          for (let i2 = 0; i2 < text.length; i2++) {
            if (isLineStart) {
              lineOffsets.push(i2);
              isLineStart = false;
            }
            const ch = text.charAt(i2);
            isLineStart = ch === "\r" || ch === "\n";
            if (ch === "\r" && i2 + 1 < text.length && text.charAt(i2 + 1) === "\n") {
              i2++;
            }
          }
          if (isLineStart && text.length > 0) {
            lineOffsets.push(text.length);
          }
          this._lineOffsets = lineOffsets;
        }
        return this._lineOffsets;
      }
      positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
          return Position.create(0, offset);
        }
        while (low < high) {
          const mid = Math.floor((low + high) / 2);
          if (lineOffsets[mid] > offset) {
            high = mid;
          } else {
            low = mid + 1;
          }
        }
        const line = low - 1;
        return Position.create(line, offset - lineOffsets[line]);
      }
      offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
          return this._content.length;
        } else if (position.line < 0) {
          return 0;
        }
        const lineOffset = lineOffsets[position.line];
        const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this._content.length;
        return Math.max(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
      }
      get lineCount() {
        return this.getLineOffsets().length;
      }
    };
    (function(Is2) {
      const toString2 = Object.prototype.toString;
      function defined(value) {
        return typeof value !== "undefined";
      }
      Is2.defined = defined;
      function undefined2(value) {
        return typeof value === "undefined";
      }
      Is2.undefined = undefined2;
      function boolean(value) {
        return value === true || value === false;
      }
      Is2.boolean = boolean;
      function string(value) {
        return toString2.call(value) === "[object String]";
      }
      Is2.string = string;
      function number(value) {
        return toString2.call(value) === "[object Number]";
      }
      Is2.number = number;
      function numberRange(value, min, max) {
        return toString2.call(value) === "[object Number]" && min <= value && value <= max;
      }
      Is2.numberRange = numberRange;
      function integer2(value) {
        return toString2.call(value) === "[object Number]" && -2147483648 <= value && value <= 2147483647;
      }
      Is2.integer = integer2;
      function uinteger2(value) {
        return toString2.call(value) === "[object Number]" && 0 <= value && value <= 2147483647;
      }
      Is2.uinteger = uinteger2;
      function func(value) {
        return toString2.call(value) === "[object Function]";
      }
      Is2.func = func;
      function objectLiteral(value) {
        return value !== null && typeof value === "object";
      }
      Is2.objectLiteral = objectLiteral;
      function typedArray(value, check) {
        return Array.isArray(value) && value.every(check);
      }
      Is2.typedArray = typedArray;
    })(Is || (Is = {}));
  }
});

// node_modules/dockerfile-ast/lib/line.js
var require_line = __commonJS({
  "node_modules/dockerfile-ast/lib/line.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Line = void 0;
    var Line = class {
      constructor(document, range) {
        this.document = document;
        this.range = range;
      }
      getRange() {
        return this.range;
      }
      getTextContent() {
        return this.document.getText().substring(this.document.offsetAt(this.range.start), this.document.offsetAt(this.range.end));
      }
      isAfter(line) {
        return this.range.start.line > line.range.start.line;
      }
      isBefore(line) {
        return this.range.start.line < line;
      }
    };
    exports.Line = Line;
  }
});

// node_modules/dockerfile-ast/lib/util.js
var require_util = __commonJS({
  "node_modules/dockerfile-ast/lib/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Util = void 0;
    var Util = class _Util {
      static isUTF8BOM(char) {
        const uintArray = Uint8Array.from(Buffer.from(char, "UTF-8"));
        return uintArray[0] === 239 && uintArray[1] == 187 && uintArray[2] == 191;
      }
      static isWhitespace(char) {
        return char === " " || char === "	" || _Util.isNewline(char);
      }
      static isNewline(char) {
        return char === "\r" || char === "\n";
      }
      static findLeadingNonWhitespace(content, escapeChar2) {
        whitespaceCheck: for (let i2 = 0; i2 < content.length; i2++) {
          switch (content.charAt(i2)) {
            case " ":
            case "	":
              continue;
            case escapeChar2:
              escapeCheck: for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    i2 = j + 1;
                    continue whitespaceCheck;
                  case "\n":
                    i2 = j;
                    continue whitespaceCheck;
                  default:
                    break escapeCheck;
                }
              }
              return -1;
            default:
              return i2;
          }
        }
        return -1;
      }
      /**
       * Determines if the given position is contained within the given range.
       *
       * @param position the position to check
       * @param range the range to see if the position is inside of
       */
      static isInsideRange(position, range) {
        if (range.start.line === range.end.line) {
          return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character;
        } else if (range.start.line === position.line) {
          return range.start.character <= position.character;
        } else if (range.end.line === position.line) {
          return position.character <= range.end.character;
        }
        return range.start.line < position.line && position.line < range.end.line;
      }
      static parseHeredocName(value) {
        value = value.substring(2);
        if (value.charAt(0) === "-") {
          value = value.substring(1);
        }
        if (value.charAt(0) === '"') {
          if (value.charAt(value.length - 1) !== '"') {
            return null;
          }
          value = value.substring(1, value.length - 1);
        }
        if (value.charAt(0) === "'") {
          if (value.charAt(value.length - 1) !== "'") {
            return null;
          }
          value = value.substring(1, value.length - 1);
        }
        if (value.charAt(0) === "<") {
          return null;
        }
        return value;
      }
    };
    exports.Util = Util;
  }
});

// node_modules/dockerfile-ast/lib/comment.js
var require_comment = __commonJS({
  "node_modules/dockerfile-ast/lib/comment.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Comment = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var line_1 = require_line();
    var util_1 = require_util();
    var Comment = class extends line_1.Line {
      constructor(document, range) {
        super(document, range);
      }
      toString() {
        const content = this.getContent();
        if (content) {
          return "# " + content;
        }
        return "#";
      }
      /**
       * Returns the content of this comment. This excludes leading and
       * trailing whitespace as well as the # symbol. If the comment only
       * consists of whitespace, the empty string will be returned.
       */
      getContent() {
        let range = this.getContentRange();
        if (range === null) {
          return "";
        }
        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
      }
      /**
       * Returns a range that includes the content of the comment
       * excluding any leading and trailing whitespace as well as the #
       * symbol. May return null if the comment only consists of whitespace
       * characters.
       */
      getContentRange() {
        let range = this.getRange();
        const startOffset = this.document.offsetAt(range.start);
        let raw = this.document.getText().substring(startOffset, this.document.offsetAt(range.end));
        let start = -1;
        let end = -1;
        for (let i2 = 1; i2 < raw.length; i2++) {
          if (!util_1.Util.isWhitespace(raw.charAt(i2))) {
            start = i2;
            break;
          }
        }
        if (start === -1) {
          return null;
        }
        for (let i2 = raw.length - 1; i2 >= 1; i2--) {
          if (!util_1.Util.isWhitespace(raw.charAt(i2))) {
            end = i2 + 1;
            break;
          }
        }
        return vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + start), this.document.positionAt(startOffset + end));
      }
    };
    exports.Comment = Comment;
  }
});

// node_modules/vscode-languageserver-textdocument/lib/esm/main.js
var main_exports2 = {};
__export(main_exports2, {
  TextDocument: () => TextDocument2
});
function mergeSort(data, compare) {
  if (data.length <= 1) {
    return data;
  }
  const p = data.length / 2 | 0;
  const left = data.slice(0, p);
  const right = data.slice(p);
  mergeSort(left, compare);
  mergeSort(right, compare);
  let leftIdx = 0;
  let rightIdx = 0;
  let i2 = 0;
  while (leftIdx < left.length && rightIdx < right.length) {
    const ret = compare(left[leftIdx], right[rightIdx]);
    if (ret <= 0) {
      data[i2++] = left[leftIdx++];
    } else {
      data[i2++] = right[rightIdx++];
    }
  }
  while (leftIdx < left.length) {
    data[i2++] = left[leftIdx++];
  }
  while (rightIdx < right.length) {
    data[i2++] = right[rightIdx++];
  }
  return data;
}
function computeLineOffsets(text, isAtLineStart, textOffset = 0) {
  const result = isAtLineStart ? [textOffset] : [];
  for (let i2 = 0; i2 < text.length; i2++) {
    const ch = text.charCodeAt(i2);
    if (isEOL(ch)) {
      if (ch === 13 && i2 + 1 < text.length && text.charCodeAt(i2 + 1) === 10) {
        i2++;
      }
      result.push(textOffset + i2 + 1);
    }
  }
  return result;
}
function isEOL(char) {
  return char === 13 || char === 10;
}
function getWellformedRange(range) {
  const start = range.start;
  const end = range.end;
  if (start.line > end.line || start.line === end.line && start.character > end.character) {
    return { start: end, end: start };
  }
  return range;
}
function getWellformedEdit(textEdit) {
  const range = getWellformedRange(textEdit.range);
  if (range !== textEdit.range) {
    return { newText: textEdit.newText, range };
  }
  return textEdit;
}
var FullTextDocument2, TextDocument2;
var init_main2 = __esm({
  "node_modules/vscode-languageserver-textdocument/lib/esm/main.js"() {
    "use strict";
    FullTextDocument2 = class _FullTextDocument {
      constructor(uri, languageId, version, content) {
        this._uri = uri;
        this._languageId = languageId;
        this._version = version;
        this._content = content;
        this._lineOffsets = void 0;
      }
      get uri() {
        return this._uri;
      }
      get languageId() {
        return this._languageId;
      }
      get version() {
        return this._version;
      }
      getText(range) {
        if (range) {
          const start = this.offsetAt(range.start);
          const end = this.offsetAt(range.end);
          return this._content.substring(start, end);
        }
        return this._content;
      }
      update(changes, version) {
        for (const change of changes) {
          if (_FullTextDocument.isIncremental(change)) {
            const range = getWellformedRange(change.range);
            const startOffset = this.offsetAt(range.start);
            const endOffset = this.offsetAt(range.end);
            this._content = this._content.substring(0, startOffset) + change.text + this._content.substring(endOffset, this._content.length);
            const insertedEndOffset = startOffset + change.text.length;
            const crlfAtStart = this._content.charCodeAt(startOffset - 1) === 13 && this._content.charCodeAt(startOffset) === 10;
            const crlfAtEnd = this._content.charCodeAt(insertedEndOffset - 1) === 13 && this._content.charCodeAt(insertedEndOffset) === 10;
            if (crlfAtStart || crlfAtEnd) {
              this._lineOffsets = void 0;
              continue;
            }
            const startLine = Math.max(range.start.line, 0);
            const endLine = Math.max(range.end.line, 0);
            let lineOffsets = this._lineOffsets;
            const addedLineOffsets = computeLineOffsets(change.text, false, startOffset);
            if (endLine - startLine === addedLineOffsets.length) {
              for (let i2 = 0, len = addedLineOffsets.length; i2 < len; i2++) {
                lineOffsets[i2 + startLine + 1] = addedLineOffsets[i2];
              }
            } else {
              if (addedLineOffsets.length < 1e4) {
                lineOffsets.splice(startLine + 1, endLine - startLine, ...addedLineOffsets);
              } else {
                this._lineOffsets = lineOffsets = lineOffsets.slice(0, startLine + 1).concat(addedLineOffsets, lineOffsets.slice(endLine + 1));
              }
            }
            const diff = change.text.length - (endOffset - startOffset);
            if (diff !== 0) {
              for (let i2 = startLine + 1 + addedLineOffsets.length, len = lineOffsets.length; i2 < len; i2++) {
                lineOffsets[i2] = lineOffsets[i2] + diff;
              }
            }
          } else if (_FullTextDocument.isFull(change)) {
            this._content = change.text;
            this._lineOffsets = void 0;
          } else {
            throw new Error("Unknown change event received");
          }
        }
        this._version = version;
      }
      getLineOffsets() {
        if (this._lineOffsets === void 0) {
          this._lineOffsets = computeLineOffsets(this._content, true);
        }
        return this._lineOffsets;
      }
      positionAt(offset) {
        offset = Math.max(Math.min(offset, this._content.length), 0);
        const lineOffsets = this.getLineOffsets();
        let low = 0, high = lineOffsets.length;
        if (high === 0) {
          return { line: 0, character: offset };
        }
        while (low < high) {
          const mid = Math.floor((low + high) / 2);
          if (lineOffsets[mid] > offset) {
            high = mid;
          } else {
            low = mid + 1;
          }
        }
        const line = low - 1;
        offset = this.ensureBeforeEOL(offset, lineOffsets[line]);
        return { line, character: offset - lineOffsets[line] };
      }
      offsetAt(position) {
        const lineOffsets = this.getLineOffsets();
        if (position.line >= lineOffsets.length) {
          return this._content.length;
        } else if (position.line < 0) {
          return 0;
        }
        const lineOffset = lineOffsets[position.line];
        if (position.character <= 0) {
          return lineOffset;
        }
        const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this._content.length;
        const offset = Math.min(lineOffset + position.character, nextLineOffset);
        return this.ensureBeforeEOL(offset, lineOffset);
      }
      getLineRange(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
          const lastLine = lineOffsets.length - 1;
          return { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: this._content.length - lineOffsets[lastLine] } };
        } else if (line < 0) {
          return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        }
        const startOffset = lineOffsets[line];
        const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this._content.length;
        const endOffset = this.ensureBeforeEOL(nextLineOffset, startOffset);
        return { start: { line, character: 0 }, end: { line, character: endOffset - startOffset } };
      }
      getEOLCharacters(line) {
        const lineOffsets = this.getLineOffsets();
        if (line >= lineOffsets.length) {
          return "";
        } else if (line < 0) {
          return "";
        }
        const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this._content.length;
        const eolOffset = this.ensureBeforeEOL(nextLineOffset, lineOffsets[line]);
        return this._content.substring(eolOffset, nextLineOffset);
      }
      ensureBeforeEOL(offset, lineOffset) {
        while (offset > lineOffset && isEOL(this._content.charCodeAt(offset - 1))) {
          offset--;
        }
        return offset;
      }
      get lineCount() {
        return this.getLineOffsets().length;
      }
      static isIncremental(event) {
        const candidate = event;
        return candidate !== void 0 && candidate !== null && typeof candidate.text === "string" && candidate.range !== void 0 && (candidate.rangeLength === void 0 || typeof candidate.rangeLength === "number");
      }
      static isFull(event) {
        const candidate = event;
        return candidate !== void 0 && candidate !== null && typeof candidate.text === "string" && candidate.range === void 0 && candidate.rangeLength === void 0;
      }
    };
    (function(TextDocument3) {
      function create(uri, languageId, version, content) {
        return new FullTextDocument2(uri, languageId, version, content);
      }
      TextDocument3.create = create;
      function update(document, changes, version) {
        if (document instanceof FullTextDocument2) {
          document.update(changes, version);
          return document;
        } else {
          throw new Error("TextDocument.update: document must be created by TextDocument.create");
        }
      }
      TextDocument3.update = update;
      function applyEdits(document, edits) {
        const text = document.getText();
        const sortedEdits = mergeSort(edits.map(getWellformedEdit), (a, b) => {
          const diff = a.range.start.line - b.range.start.line;
          if (diff === 0) {
            return a.range.start.character - b.range.start.character;
          }
          return diff;
        });
        let lastModifiedOffset = 0;
        const spans = [];
        for (const e of sortedEdits) {
          const startOffset = document.offsetAt(e.range.start);
          if (startOffset < lastModifiedOffset) {
            throw new Error("Overlapping edit");
          } else if (startOffset > lastModifiedOffset) {
            spans.push(text.substring(lastModifiedOffset, startOffset));
          }
          if (e.newText.length) {
            spans.push(e.newText);
          }
          lastModifiedOffset = document.offsetAt(e.range.end);
        }
        spans.push(text.substr(lastModifiedOffset));
        return spans.join("");
      }
      TextDocument3.applyEdits = applyEdits;
    })(TextDocument2 || (TextDocument2 = {}));
  }
});

// node_modules/dockerfile-ast/lib/parserDirective.js
var require_parserDirective = __commonJS({
  "node_modules/dockerfile-ast/lib/parserDirective.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ParserDirective = void 0;
    var main_1 = require_main();
    var line_1 = require_line();
    var ParserDirective = class extends line_1.Line {
      constructor(document, range, nameRange, valueRange) {
        super(document, range);
        this.nameRange = nameRange;
        this.valueRange = valueRange;
      }
      toString() {
        return "# " + this.getName() + "=" + this.getValue();
      }
      getNameRange() {
        return this.nameRange;
      }
      getValueRange() {
        return this.valueRange;
      }
      getName() {
        return this.document.getText().substring(this.document.offsetAt(this.nameRange.start), this.document.offsetAt(this.nameRange.end));
      }
      getValue() {
        return this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
      }
      getDirective() {
        const directive = main_1.Directive[this.getName().toLowerCase()];
        return directive === void 0 ? null : directive;
      }
    };
    exports.ParserDirective = ParserDirective;
  }
});

// node_modules/dockerfile-ast/lib/heredoc.js
var require_heredoc = __commonJS({
  "node_modules/dockerfile-ast/lib/heredoc.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Heredoc = void 0;
    var Heredoc = class {
      constructor(startRange, name, nameRange, contentRange, endRange) {
        this.startRange = startRange;
        this.name = name;
        this.nameRange = nameRange;
        this.contentRange = contentRange;
        this.endRange = endRange;
      }
      /**
       * Returns the name of the here-document.
       *
       * This API is experimental and subject to change.
       */
      getName() {
        return this.name;
      }
      /**
       * Returns the range of the start operator and the name. If the
       * here-document is initialized with <<EOT then the start range would
       * encompass all five characters.
       *
       * This API is experimental and subject to change.
       */
      getStartRange() {
        return this.startRange;
      }
      /**
       * Returns the range of this here-document's name that is declared at
       * the beginning of the here-document with the operator. If the
       * here-document is initialized with <<EOT then the name range would
       * encompass the latter three "EOT" characters.
       *
       * This API is experimental and subject to change.
       */
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the range of the content of this here-document. This may
       * be null if the here-document has no content because:
       * - the start range is the only thing that was declared
       * - the end range was declared immediately and there is no content
       *
       * This API is experimental and subject to change.
       */
      getContentRange() {
        return this.contentRange;
      }
      /**
       * Returns the range of the here-document's name on a line that
       * represents the end of the here-document.
       *
       * This API is experimental and subject to change.
       */
      getDelimiterRange() {
        return this.endRange;
      }
    };
    exports.Heredoc = Heredoc;
  }
});

// node_modules/dockerfile-ast/lib/variable.js
var require_variable = __commonJS({
  "node_modules/dockerfile-ast/lib/variable.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Variable = void 0;
    var Variable = class {
      constructor(name, nameRange, range, modifier, modifierRange, substitutionParameter, substitutionRange, defined, buildVariable, stringValue) {
        this.name = name;
        this.nameRange = nameRange;
        this.range = range;
        this.modifier = modifier;
        this.modifierRange = modifierRange;
        this.substitutionParameter = substitutionParameter;
        this.substitutionRange = substitutionRange;
        this.defined = defined;
        this.buildVariable = buildVariable;
        this.stringValue = stringValue;
      }
      toString() {
        return this.stringValue;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the range of the entire variable. This includes the symbols for
       * the declaration of the variable such as the $, {, and } symbols.
       *
       * @return the range in the document that this variable encompasses in its
       *         entirety
       */
      getRange() {
        return this.range;
      }
      /**
       * Returns the modifier character that has been set for
       * specifying how this variable should be expanded and resolved.
       * If this variable is ${variable:+value} then the modifier
       * character is '+'. Will be the empty string if the variable is
       * declared as ${variable:}. Otherwise, will be null if this
       * variable will not use variable substitution at all (such as
       * ${variable} or $variable).
       *
       * @return this variable's modifier character, or the empty
       *         string if it does not have one, or null if this
       *         variable will not use variable substitution
       */
      getModifier() {
        return this.modifier;
      }
      getModifierRange() {
        return this.modifierRange;
      }
      /**
       * Returns the parameter that will be used for substitution if
       * this variable uses modifiers to define how its value should be
       * resolved. If this variable is ${variable:+value} then the
       * substitution value will be 'value'. Will be the empty string
       * if the variable is declared as ${variable:+} or some other
       * variant where the only thing that follows the modifier
       * character (excluding considerations of escape characters and
       * so on) is the variable's closing bracket. May be null if this
       * variable does not have a modifier character defined (such as
       * ${variable} or $variable).
       *
       * @return this variable's substitution parameter, or the empty
       *         string if it does not have one, or null if there is
       *         not one defined
       */
      getSubstitutionParameter() {
        return this.substitutionParameter;
      }
      getSubstitutionRange() {
        return this.substitutionRange;
      }
      /**
       * Returns whether this variable has been defined or not.
       *
       * @return true if this variable has been defined, false otherwise
       */
      isDefined() {
        return this.defined;
      }
      isBuildVariable() {
        return this.buildVariable === true;
      }
      isEnvironmentVariable() {
        return this.buildVariable === false;
      }
    };
    exports.Variable = Variable;
  }
});

// node_modules/dockerfile-ast/lib/instruction.js
var require_instruction = __commonJS({
  "node_modules/dockerfile-ast/lib/instruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Instruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var util_1 = require_util();
    var line_1 = require_line();
    var argument_1 = require_argument();
    var heredoc_1 = require_heredoc();
    var variable_1 = require_variable();
    var main_1 = require_main();
    var Instruction = class extends line_1.Line {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range);
        this.dockerfile = dockerfile;
        this.escapeChar = escapeChar2;
        this.instruction = instruction;
        this.instructionRange = instructionRange;
      }
      toString() {
        let value = this.getKeyword();
        for (let arg of this.getRawArguments()) {
          value += " ";
          value += arg.getValue();
        }
        return value;
      }
      getRangeContent(range) {
        if (range === null) {
          return null;
        }
        return this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
      }
      getInstructionRange() {
        return this.instructionRange;
      }
      getInstruction() {
        return this.instruction;
      }
      getKeyword() {
        return this.getInstruction().toUpperCase();
      }
      getArgumentsRange() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        return vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end);
      }
      getArgumentsRanges() {
        let args = this.getArguments();
        if (args.length === 0) {
          return [];
        }
        if (args[0].getRange().start.line === args[args.length - 1].getRange().end.line) {
          return [vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end)];
        }
        let ranges = [];
        let end = -1;
        let startPosition = args[0].getRange().start;
        let range = this.getInstructionRange();
        let extra = this.document.offsetAt(startPosition) - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra, this.document.offsetAt(args[args.length - 1].getRange().end) - this.document.offsetAt(range.start));
        let offset = this.document.offsetAt(range.start) + extra;
        let start = false;
        let comment = false;
        for (let i2 = 0; i2 < fullArgs.length; i2++) {
          let char = fullArgs.charAt(i2);
          if (char === this.escapeChar) {
            let next = fullArgs.charAt(i2 + 1);
            if (next === " " || next === "	") {
              whitespaceCheck: for (let j = i2 + 2; j < fullArgs.length; j++) {
                switch (fullArgs.charAt(j)) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    j++;
                  case "\n":
                    if (startPosition !== null) {
                      ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
                    }
                    startPosition = null;
                    start = true;
                    comment = false;
                    i2 = j;
                    break whitespaceCheck;
                  default:
                    break whitespaceCheck;
                }
              }
            } else if (next === "\r") {
              if (startPosition !== null) {
                ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
                startPosition = null;
              }
              start = true;
              comment = false;
              i2 += 2;
            } else if (next === "\n") {
              if (startPosition !== null) {
                ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
              }
              startPosition = null;
              start = true;
              comment = false;
              i2++;
            } else {
              i2++;
            }
          } else if (util_1.Util.isNewline(char)) {
            if (comment) {
              startPosition = null;
              start = true;
              comment = false;
            }
          } else {
            if (!comment) {
              if (startPosition === null) {
                if (char === "#") {
                  comment = true;
                  continue;
                }
                let position = this.document.positionAt(offset + i2);
                if (position.character !== 0) {
                  startPosition = vscode_languageserver_types_1.Position.create(position.line, 0);
                }
              }
              end = i2;
            }
          }
        }
        if (startPosition === null) {
          ranges.push(vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + end), this.document.positionAt(offset + end + 1)));
        } else {
          ranges.push(vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(offset + end + 1)));
        }
        return ranges;
      }
      getRawArgumentsContent() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        return this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, args[args.length - 1].getRange().end));
      }
      getArgumentsContent() {
        let args = this.getArguments();
        if (args.length === 0) {
          return null;
        }
        let content = "";
        let ranges = this.getArgumentsRanges();
        let documentText = this.document.getText();
        for (let range of ranges) {
          content += documentText.substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
        }
        return content;
      }
      getArguments() {
        return this.getRawArguments();
      }
      getRawArguments() {
        let args = [];
        let range = this.getInstructionRange();
        let extra = this.document.offsetAt(range.end) - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra);
        let offset = this.document.offsetAt(range.start) + extra;
        let start = false;
        let comment = false;
        let found = -1;
        let escapedWhitespaceDetected = false;
        let escaping = false;
        let escapeMarker = -1;
        let escapedArg = "";
        for (let i2 = 0; i2 < fullArgs.length; i2++) {
          let char = fullArgs.charAt(i2);
          if (util_1.Util.isWhitespace(char)) {
            if (escaping) {
              escapedWhitespaceDetected = true;
              if (util_1.Util.isNewline(char)) {
                escapedWhitespaceDetected = false;
                if (comment) {
                  comment = false;
                  start = true;
                }
              }
              continue;
            } else if (found !== -1) {
              if (escapeMarker === -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + i2))));
              } else {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
              }
              escapeMarker = -1;
              escapedArg = "";
              found = -1;
            }
          } else if (char === this.escapeChar) {
            let next = fullArgs.charAt(i2 + 1);
            if (next === " " || next === "	") {
              whitespaceCheck: for (let j = i2 + 2; j < fullArgs.length; j++) {
                let newlineCheck = fullArgs.charAt(j);
                switch (newlineCheck) {
                  case " ":
                  case "	":
                    continue;
                  case "\r":
                    j++;
                  case "\n":
                    comment = false;
                    escaping = true;
                    start = true;
                    if (found !== -1) {
                      escapeMarker = i2;
                    }
                    i2 = j;
                    break whitespaceCheck;
                  default:
                    escapeMarker = i2;
                    if (found === -1) {
                      i2 = j - 1;
                    }
                    break whitespaceCheck;
                }
              }
            } else if (next === "\r") {
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1 && escapeMarker === -1) {
                escapeMarker = i2;
              }
              i2 += 2;
            } else if (next === "\n") {
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1 && escapeMarker === -1) {
                escapeMarker = i2;
              }
              i2++;
            } else {
              if (escapedWhitespaceDetected && escapeMarker !== -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
                escapedArg = "";
                found = -1;
              }
              escapeMarker = -1;
              escapedWhitespaceDetected = false;
              escaping = false;
              if (next === "$") {
                escapedArg = escapedArg + char + next;
              } else if (next === "") {
                break;
              } else {
                escapedArg = escapedArg + next;
              }
              if (found === -1) {
                found = i2;
              }
              i2++;
            }
          } else if (!comment) {
            if (start && char === "#") {
              comment = true;
            } else {
              if (escapedWhitespaceDetected && escapeMarker !== -1) {
                args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
                escapedArg = "";
                found = -1;
              }
              escapedWhitespaceDetected = false;
              escaping = false;
              escapeMarker = -1;
              escapedArg = escapedArg + char;
              if (found === -1) {
                found = i2;
              }
            }
            start = false;
          }
        }
        if (found !== -1) {
          if (escapeMarker === -1) {
            args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + fullArgs.length))));
          } else {
            args.push(new argument_1.Argument(escapedArg, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + found), this.document.positionAt(offset + escapeMarker))));
          }
        }
        return args;
      }
      getExpandedArguments() {
        let args = this.getArguments();
        for (let i2 = 0; i2 < args.length; i2++) {
          const argRange = args[i2].getRange();
          let offset = this.document.offsetAt(argRange.start);
          const variables = this.parseVariables(offset, args[i2].getValue());
          const swaps = [];
          let requiresExpansion = false;
          for (let variable of variables) {
            const value = this.dockerfile.resolveVariable(variable.getName(), variable.getNameRange().start.line);
            swaps.push(value);
            requiresExpansion = requiresExpansion || value !== void 0;
          }
          if (requiresExpansion) {
            let expanded = "";
            for (let j = 0; j < swaps.length; j++) {
              const variableRange = variables[j].getRange();
              const start = this.document.offsetAt(variableRange.start);
              const end = this.document.offsetAt(variableRange.end);
              if (swaps[j]) {
                expanded += this.document.getText().substring(offset, start);
                expanded += swaps[j];
                offset = end;
              } else {
                expanded += this.document.getText().substring(offset, end);
                offset = end;
              }
            }
            const argEnd = this.document.offsetAt(argRange.end);
            if (argEnd !== offset) {
              expanded += this.document.getText().substring(offset, argEnd);
            }
            args[i2] = new argument_1.Argument(expanded, argRange);
          }
        }
        return args;
      }
      getVariables() {
        const variables = [];
        const args = this.getRawArguments();
        for (const arg of args) {
          let range = arg.getRange();
          let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
          const parsedVariables = this.parseVariables(this.document.offsetAt(arg.getRange().start), rawValue);
          for (const parsedVariable of parsedVariables) {
            variables.push(parsedVariable);
          }
        }
        return variables;
      }
      parseVariables(offset, arg) {
        let variables = [];
        variableLoop: for (let i2 = 0; i2 < arg.length; i2++) {
          switch (arg.charAt(i2)) {
            case this.escapeChar:
              if (arg.charAt(i2 + 1) === "$") {
                i2++;
              }
              break;
            case "$":
              if (arg.charAt(i2 + 1) === "{") {
                let escapedString = "${";
                let escapedName = "";
                let nameEnd = -1;
                let escapedSubstitutionParameter = "";
                let substitutionStart = -1;
                let substitutionEnd = -1;
                let modifierRead = -1;
                nameLoop: for (let j = i2 + 2; j < arg.length; j++) {
                  let char = arg.charAt(j);
                  switch (char) {
                    case this.escapeChar:
                      for (let k = j + 1; k < arg.length; k++) {
                        switch (arg.charAt(k)) {
                          case " ":
                          case "	":
                          case "\r":
                            continue;
                          case "\n":
                            j = k;
                            continue nameLoop;
                        }
                      }
                      break;
                    case "}":
                      escapedString += "}";
                      let modifier = null;
                      let modifierRange = null;
                      let substitutionParameter = modifierRead !== -1 ? escapedSubstitutionParameter : null;
                      let substitutionRange = null;
                      if (nameEnd === -1) {
                        nameEnd = j;
                      } else if (nameEnd + 1 === j) {
                        modifier = "";
                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + nameEnd + 1), this.document.positionAt(offset + nameEnd + 1));
                      } else {
                        if (substitutionStart === -1) {
                          substitutionStart = modifierRead + 1;
                          substitutionEnd = modifierRead + 1;
                        } else {
                          substitutionEnd = substitutionEnd + 1;
                        }
                        modifier = arg.substring(modifierRead, modifierRead + 1);
                        modifierRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + modifierRead), this.document.positionAt(offset + modifierRead + 1));
                        substitutionRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + substitutionStart), this.document.positionAt(offset + substitutionEnd));
                      }
                      let start = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 2), this.document.positionAt(offset + nameEnd)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + j + 1)), modifier, modifierRange, substitutionParameter, substitutionRange, this.dockerfile.resolveVariable(escapedName, start.line) !== void 0, this.isBuildVariable(escapedName, start.line), escapedString));
                      i2 = j;
                      continue variableLoop;
                    case ":":
                      if (nameEnd === -1) {
                        nameEnd = j;
                      } else if (modifierRead !== -1) {
                        if (substitutionStart === -1) {
                          substitutionStart = j;
                          substitutionEnd = j;
                        } else {
                          substitutionEnd = j;
                        }
                        escapedSubstitutionParameter += ":";
                      } else {
                        modifierRead = j;
                      }
                      escapedString += ":";
                      break;
                    case "\n":
                    case "\r":
                    case " ":
                    case "	":
                      break;
                    default:
                      if (nameEnd === -1) {
                        escapedName += char;
                      } else if (modifierRead !== -1) {
                        if (substitutionStart === -1) {
                          substitutionStart = j;
                          substitutionEnd = j;
                        } else {
                          substitutionEnd = j;
                        }
                        escapedSubstitutionParameter += char;
                      } else {
                        modifierRead = j;
                      }
                      escapedString += char;
                      break;
                  }
                }
                break variableLoop;
              } else if (util_1.Util.isWhitespace(arg.charAt(i2 + 1)) || i2 === arg.length - 1) {
                continue;
              } else {
                let escapedName = "";
                nameLoop: for (let j = i2 + 1; j < arg.length; j++) {
                  let char = arg.charAt(j);
                  switch (char) {
                    case "\r":
                    case "\n":
                    case " ":
                    case "	":
                      continue;
                    case "$":
                    case "'":
                    case '"':
                      let varStart = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== void 0, this.isBuildVariable(escapedName, varStart.line), "$" + escapedName));
                      i2 = j - 1;
                      continue variableLoop;
                    case this.escapeChar:
                      for (let k = j + 1; k < arg.length; k++) {
                        switch (arg.charAt(k)) {
                          case " ":
                          case "	":
                          case "\r":
                            continue;
                          case "\n":
                            j = k;
                            continue nameLoop;
                        }
                      }
                      let start2 = this.document.positionAt(offset + i2);
                      variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(start2, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start2.line) !== void 0, this.isBuildVariable(escapedName, start2.line), "$" + escapedName));
                      break variableLoop;
                  }
                  if (char.match(/^[a-z0-9_]+$/i) === null) {
                    let varStart = this.document.positionAt(offset + i2);
                    variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + j)), vscode_languageserver_types_1.Range.create(varStart, this.document.positionAt(offset + j)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, varStart.line) !== void 0, this.isBuildVariable(escapedName, varStart.line), "$" + escapedName));
                    i2 = j - 1;
                    continue variableLoop;
                  }
                  escapedName += char;
                }
                let start = this.document.positionAt(offset + i2);
                variables.push(new variable_1.Variable(escapedName, vscode_languageserver_types_1.Range.create(this.document.positionAt(offset + i2 + 1), this.document.positionAt(offset + arg.length)), vscode_languageserver_types_1.Range.create(start, this.document.positionAt(offset + arg.length)), null, null, null, null, this.dockerfile.resolveVariable(escapedName, start.line) !== void 0, this.isBuildVariable(escapedName, start.line), "$" + escapedName));
              }
              break variableLoop;
          }
        }
        return variables;
      }
      isBuildVariable(variable, line) {
        if (this.getKeyword() === main_1.Keyword.FROM) {
          for (const initialArg of this.dockerfile.getInitialARGs()) {
            const arg = initialArg;
            const property = arg.getProperty();
            if (property && variable === property.getName()) {
              return true;
            }
          }
          return void 0;
        }
        let image = this.dockerfile.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        let envs = image.getENVs();
        for (let i2 = envs.length - 1; i2 >= 0; i2--) {
          if (envs[i2].isBefore(line)) {
            for (let property of envs[i2].getProperties()) {
              if (property.getName() === variable) {
                return false;
              }
            }
          }
        }
        let args = image.getARGs();
        for (let i2 = args.length - 1; i2 >= 0; i2--) {
          if (args[i2].isBefore(line)) {
            let property = args[i2].getProperty();
            if (property && property.getName() === variable) {
              return true;
            }
          }
        }
        return void 0;
      }
      createSingleLineHeredocs(args) {
        const heredocs = [];
        for (const arg of args) {
          const value = arg.getValue();
          if (value.startsWith("<<") && util_1.Util.parseHeredocName(value) !== null) {
            const startRange = arg.getRange();
            const nameRange = this.getNameRange(startRange);
            const name = this.getName(nameRange);
            heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, null, null));
          }
        }
        return heredocs;
      }
      getName(nameRange) {
        const content = this.document.getText(nameRange);
        let escaping = false;
        let name = "";
        nameLoop: for (let i2 = 0; i2 < content.length; i2++) {
          const ch = content.charAt(i2);
          switch (ch) {
            case this.escapeChar:
              escaping = true;
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    break;
                  case "\r":
                    i2 = j + 1;
                    continue nameLoop;
                  case "\n":
                    i2 = j;
                    continue nameLoop;
                  default:
                    name += content.charAt(j);
                    i2 = j;
                    continue nameLoop;
                }
              }
              break;
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue nameLoop;
                  }
                }
              }
            case " ":
            case "	":
            case "\r":
            case "\n":
              if (escaping) {
                break;
              }
            default:
              name += ch;
              break;
          }
        }
        return name;
      }
      getNameRange(startRange) {
        const content = this.document.getText(startRange);
        let endFound = false;
        let searchHyphen = false;
        let start = -1;
        let end = -1;
        let escaping = false;
        let quote = null;
        contentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          const ch = content.charAt(i2);
          switch (ch) {
            case '"':
            case "'":
              if (quote === ch) {
                break contentLoop;
              }
              quote = ch;
              continue;
            case this.escapeChar:
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case "\n":
                    escaping = true;
                    j = i2;
                    continue contentLoop;
                }
              }
              break;
            case " ":
            case "	":
            case "\r":
            case "\n":
              break;
            case "<":
              if (endFound) {
                searchHyphen = true;
              } else {
                endFound = true;
              }
              break;
            case "-":
              if (searchHyphen) {
                searchHyphen = false;
                break;
              }
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue contentLoop;
                  }
                }
              }
            default:
              if (start === -1) {
                start = i2;
              }
              if (quote !== null) {
                end = i2 + 1;
                break;
              }
              break contentLoop;
          }
        }
        if (start === -1) {
          return vscode_languageserver_types_1.Range.create(startRange.end, startRange.end);
        }
        const nameStart = this.document.positionAt(this.document.offsetAt(startRange.start) + start);
        const nameEnd = quote !== null ? this.document.positionAt(this.document.offsetAt(startRange.start) + end) : startRange.end;
        return vscode_languageserver_types_1.Range.create(nameStart, nameEnd);
      }
      getHeredocs() {
        const args = this.getArguments();
        if (args.length === 0) {
          return [];
        }
        const heredocs = [];
        const range = this.getRange();
        if (range.start.line === range.end.line) {
          return this.createSingleLineHeredocs(args);
        }
        const heredocDefinitions = [];
        let heredocsProcessed = false;
        let escaping = false;
        let contentStart = -1;
        let contentEnd = -1;
        let lineStart = -1;
        let currentHeredoc = 0;
        const startOffset = this.document.offsetAt(args[0].getRange().start);
        const content = this.getRangeContent(vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end));
        contentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          switch (content.charAt(i2)) {
            case this.escapeChar:
              escaping = true;
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                    break;
                  case "\r":
                    j++;
                  case "\n":
                    i2 = j;
                    continue contentLoop;
                  default:
                    i2 = j;
                    continue contentLoop;
                }
              }
              break;
            case "\r":
              break;
            case "\n":
              if (escaping) {
                break;
              }
              if (heredocsProcessed) {
                if (contentStart === -1) {
                  contentStart = i2;
                }
                contentEnd = i2;
                const arg = heredocDefinitions[currentHeredoc];
                const startRange = arg.getRange();
                const nameRange = this.getNameRange(startRange);
                const name = this.getName(nameRange);
                const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), this.document.positionAt(startOffset + i2)));
                if (delimiterRange !== null) {
                  const contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + lineStart - 1));
                  heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
                  contentStart = -1;
                  currentHeredoc++;
                }
                lineStart = -1;
              } else {
                const offsetLimit = startOffset + i2;
                for (const arg of args) {
                  if (this.document.offsetAt(arg.getRange().start) < offsetLimit) {
                    if (arg.getValue().startsWith("<<")) {
                      heredocDefinitions.push(arg);
                    }
                  } else {
                    break;
                  }
                }
                heredocsProcessed = true;
                lineStart = -1;
                continue contentLoop;
              }
              break;
            case " ":
            case "	":
              if (escaping) {
                break;
              }
            case "#":
              if (escaping) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\n":
                      i2 = j;
                      continue contentLoop;
                  }
                }
              }
            default:
              if (escaping) {
                escaping = false;
              }
              if (heredocsProcessed) {
                if (contentStart === -1) {
                  contentStart = i2;
                }
                if (lineStart === -1) {
                  lineStart = i2;
                }
              }
              break;
          }
        }
        if (heredocsProcessed) {
          const arg = heredocDefinitions[currentHeredoc];
          const startRange = arg.getRange();
          const nameRange = this.getNameRange(startRange);
          const name = this.getName(nameRange);
          let contentRange = null;
          const delimiterRange = this.getDelimiterRange(arg, name, vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + lineStart), range.end));
          if (delimiterRange === null) {
            contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), range.end);
          } else if (contentEnd !== -1) {
            contentRange = vscode_languageserver_types_1.Range.create(this.document.positionAt(startOffset + contentStart), this.document.positionAt(startOffset + contentEnd));
          }
          heredocs.push(new heredoc_1.Heredoc(startRange, name, nameRange, contentRange, delimiterRange));
          currentHeredoc++;
          for (let i2 = currentHeredoc; i2 < heredocDefinitions.length; i2++) {
            const arg2 = heredocDefinitions[currentHeredoc];
            const startRange2 = arg2.getRange();
            const nameRange2 = this.getNameRange(startRange2);
            const name2 = this.getName(nameRange2);
            heredocs.push(new heredoc_1.Heredoc(startRange2, name2, nameRange2, null, null));
            currentHeredoc++;
          }
        } else {
          return this.createSingleLineHeredocs(args);
        }
        return heredocs;
      }
      getDelimiterRange(startArg, name, candidateRange) {
        const text = this.document.getText(candidateRange);
        if (startArg.getValue().startsWith("<<-")) {
          let index = 0;
          while (text.charAt(index) === "	") {
            index++;
          }
          if (text.substring(index) === name) {
            return vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(candidateRange.start.line, index), candidateRange.end);
          }
          return null;
        }
        return text === name ? candidateRange : null;
      }
    };
    exports.Instruction = Instruction;
  }
});

// node_modules/dockerfile-ast/lib/flagOption.js
var require_flagOption = __commonJS({
  "node_modules/dockerfile-ast/lib/flagOption.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FlagOption = void 0;
    var FlagOption = class {
      constructor(range, name, nameRange, value, valueRange) {
        this.range = range;
        this.name = name;
        this.nameRange = nameRange;
        this.value = value;
        this.valueRange = valueRange;
      }
      toString() {
        if (this.valueRange !== null) {
          return this.name + "=" + this.value;
        }
        return this.name;
      }
      getRange() {
        return this.range;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      getValue() {
        return this.value;
      }
      getValueRange() {
        return this.valueRange;
      }
    };
    exports.FlagOption = FlagOption;
  }
});

// node_modules/dockerfile-ast/lib/flag.js
var require_flag = __commonJS({
  "node_modules/dockerfile-ast/lib/flag.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Flag = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var flagOption_1 = require_flagOption();
    var Flag = class {
      constructor(document, range, name, nameRange, value, valueRange) {
        this.options = [];
        this.range = range;
        this.name = name;
        this.nameRange = nameRange;
        this.value = value;
        this.valueRange = valueRange;
        if (this.value !== null) {
          let offset = document.offsetAt(valueRange.start);
          let nameStart = -1;
          let valueStart = -1;
          let hasOptions = false;
          for (let i2 = 0; i2 < value.length; i2++) {
            switch (value.charAt(i2)) {
              case "=":
                hasOptions = true;
                if (valueStart === -1) {
                  valueStart = i2 + 1;
                  break;
                }
                break;
              case ",":
                this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, i2));
                nameStart = -1;
                valueStart = -1;
                break;
              default:
                if (nameStart === -1) {
                  nameStart = i2;
                }
                break;
            }
          }
          if (hasOptions && nameStart !== -1) {
            this.options.push(this.createFlagOption(document, value, offset, nameStart, valueStart, value.length));
          }
        }
      }
      createFlagOption(document, content, documentOffset, nameStart, valueStart, valueEnd) {
        const optionRange = vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueEnd));
        if (valueStart === -1) {
          return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueEnd), optionRange, null, null);
        }
        return new flagOption_1.FlagOption(optionRange, content.substring(nameStart, valueStart - 1), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + nameStart), document.positionAt(documentOffset + valueStart - 1)), content.substring(valueStart, valueEnd), vscode_languageserver_types_1.Range.create(document.positionAt(documentOffset + valueStart), document.positionAt(documentOffset + valueEnd)));
      }
      toString() {
        if (this.valueRange) {
          return "--" + this.name + "=" + this.value;
        }
        return "--" + this.name;
      }
      /**
       * Returns the range that encompasses this entire flag. This includes the
       * -- prefix in the beginning to the last character of the flag's value (if
       * it has been defined).
       *
       * @return the entire range of this flag
       */
      getRange() {
        return this.range;
      }
      /**
       * Returns the name of this flag. The name does not include the -- prefix.
       * Thus, for HEALTHCHECK's --interval flag, interval is the flag's name and
       * not --interval.
       *
       * @return this flag's name
       */
      getName() {
        return this.name;
      }
      /**
       * Returns the range that encompasses the flag's name
       *
       * @return the range containing the flag's name
       */
      getNameRange() {
        return this.nameRange;
      }
      /**
       * Returns the value that has been set to this flag. May be null if the
       * flag is invalid and has no value set like a --start-period. If the flag
       * is instead a --start-period= with an equals sign then the flag's value
       * is the empty string.
       *
       * @return this flag's value if it has been defined, null otherwise
       */
      getValue() {
        return this.value;
      }
      /**
       * Returns the range that encompasses this flag's value. If no value has
       * been set then null will be returned.
       *
       * @return the range containing this flag's value, or null if the flag
       *         has no value defined
       */
      getValueRange() {
        return this.valueRange;
      }
      getOption(name) {
        for (const option of this.options) {
          if (option.getName() === name) {
            return option;
          }
        }
        return null;
      }
      getOptions() {
        return this.options;
      }
      hasOptions() {
        return this.options.length > 0;
      }
    };
    exports.Flag = Flag;
  }
});

// node_modules/dockerfile-ast/lib/modifiableInstruction.js
var require_modifiableInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/modifiableInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ModifiableInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var flag_1 = require_flag();
    var instruction_1 = require_instruction();
    var ModifiableInstruction2 = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getFlags() {
        if (!this.flags) {
          this.flags = [];
          for (let arg of this.getArguments()) {
            let value = arg.getValue();
            if (this.stopSearchingForFlags(value)) {
              return this.flags;
            } else if (value.indexOf("--") === 0) {
              let range = arg.getRange();
              let rawValue = this.document.getText().substring(this.document.offsetAt(range.start), this.document.offsetAt(range.end));
              let nameIndex = value.indexOf("=");
              let index = rawValue.indexOf("=");
              let firstMatch = false;
              let secondMatch = false;
              let startIndex = -1;
              nameSearchLoop: for (let i2 = 0; i2 < rawValue.length; i2++) {
                switch (rawValue.charAt(i2)) {
                  case "\\":
                  case " ":
                  case "	":
                  case "\r":
                  case "\n":
                    break;
                  case "-":
                    if (secondMatch) {
                      startIndex = i2;
                      break nameSearchLoop;
                    } else if (firstMatch) {
                      secondMatch = true;
                    } else {
                      firstMatch = true;
                    }
                    break;
                  default:
                    startIndex = i2;
                    break nameSearchLoop;
                }
              }
              let nameStart = this.document.positionAt(this.document.offsetAt(range.start) + startIndex);
              if (index === -1) {
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2), vscode_languageserver_types_1.Range.create(nameStart, range.end), null, null));
              } else if (index === value.length - 1) {
                let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, index), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), "", vscode_languageserver_types_1.Range.create(range.end, range.end)));
              } else {
                let nameEnd = this.document.positionAt(this.document.offsetAt(range.start) + index);
                this.flags.push(new flag_1.Flag(this.document, range, value.substring(2, nameIndex), vscode_languageserver_types_1.Range.create(nameStart, nameEnd), value.substring(nameIndex + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(this.document.offsetAt(range.start) + index + 1), range.end)));
              }
            }
          }
        }
        return this.flags;
      }
      getArguments() {
        const args = super.getArguments();
        const flags = this.getFlags();
        if (flags.length === 0) {
          return args;
        }
        for (let i2 = 0; i2 < flags.length; i2++) {
          args.shift();
        }
        return args;
      }
    };
    exports.ModifiableInstruction = ModifiableInstruction2;
  }
});

// node_modules/dockerfile-ast/lib/jsonInstruction.js
var require_jsonInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/jsonInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.JSONInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var argument_1 = require_argument();
    var jsonArgument_1 = require_jsonArgument();
    var modifiableInstruction_1 = require_modifiableInstruction();
    var JSONInstruction = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.openingBracket = null;
        this.closingBracket = null;
        this.jsonStrings = [];
        const argsContent = this.getRawArgumentsContent();
        if (argsContent === null) {
          return;
        }
        const args = this.getArguments();
        if (args.length === 1 && args[0].getValue() === "[]") {
          let argRange = args[0].getRange();
          this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character, argRange.start.line, argRange.start.character + 1));
          this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(argRange.start.line, argRange.start.character + 1, argRange.end.line, argRange.end.character));
          return;
        } else if (args.length === 2 && args[0].getValue() === "[" && args[1].getValue() === "]") {
          this.openingBracket = args[0];
          this.closingBracket = args[1];
          return;
        }
        const argsOffset = document.offsetAt(this.getArgumentsRange().start);
        let start = -1;
        let last = "";
        let quoted = false;
        let escapedArg = "";
        argsCheck: for (let i2 = 0; i2 < argsContent.length; i2++) {
          let char = argsContent.charAt(i2);
          switch (char) {
            case "[":
              if (last === "") {
                this.openingBracket = new argument_1.Argument("[", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i2), document.positionAt(argsOffset + i2 + 1)));
                last = "[";
              } else if (quoted) {
                escapedArg = escapedArg + char;
              } else {
                break argsCheck;
              }
              break;
            case '"':
              if (last === "[" || last === ",") {
                start = i2;
                quoted = true;
                last = '"';
                escapedArg = escapedArg + char;
                continue;
              } else if (last === '"') {
                if (quoted) {
                  escapedArg = escapedArg + char;
                  quoted = false;
                  this.jsonStrings.push(new jsonArgument_1.JSONArgument(escapedArg, vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start), document.positionAt(argsOffset + i2 + 1)), vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + start + 1), document.positionAt(argsOffset + i2))));
                  escapedArg = "";
                } else {
                  break argsCheck;
                }
              } else {
                break argsCheck;
              }
              break;
            case ",":
              if (quoted) {
                escapedArg = escapedArg + char;
              } else {
                if (last === '"') {
                  last = ",";
                } else {
                  break argsCheck;
                }
              }
              break;
            case "]":
              if (quoted) {
                escapedArg = escapedArg + char;
              } else if (last !== "") {
                this.closingBracket = new argument_1.Argument("]", vscode_languageserver_types_1.Range.create(document.positionAt(argsOffset + i2), document.positionAt(argsOffset + i2 + 1)));
                break argsCheck;
              }
              break;
            case " ":
            case "	":
              break;
            case "\\":
              if (quoted) {
                switch (argsContent.charAt(i2 + 1)) {
                  case '"':
                  case "\\":
                    escapedArg = escapedArg + argsContent.charAt(i2 + 1);
                    i2++;
                    continue;
                  case " ":
                  case "	":
                    escapeCheck: for (let j = i2 + 2; j < argsContent.length; j++) {
                      switch (argsContent.charAt(j)) {
                        case "\r":
                          j++;
                        case "\n":
                          i2 = j;
                          continue argsCheck;
                        case " ":
                        case "	":
                          break;
                        default:
                          break escapeCheck;
                      }
                    }
                    break;
                  case "\r":
                    i2++;
                  default:
                    i2++;
                    continue;
                }
              } else {
                escapeCheck: for (let j = i2 + 1; j < argsContent.length; j++) {
                  switch (argsContent.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      continue argsCheck;
                    case " ":
                    case "	":
                      break;
                    default:
                      break escapeCheck;
                  }
                }
              }
              break argsCheck;
            default:
              if (!quoted) {
                break argsCheck;
              }
              escapedArg = escapedArg + char;
              break;
          }
        }
      }
      stopSearchingForFlags(_value) {
        return true;
      }
      getOpeningBracket() {
        return this.openingBracket;
      }
      getJSONStrings() {
        return this.jsonStrings;
      }
      getClosingBracket() {
        return this.closingBracket;
      }
    };
    exports.JSONInstruction = JSONInstruction;
  }
});

// node_modules/dockerfile-ast/lib/instructions/add.js
var require_add = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/add.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Add = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Add = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
    };
    exports.Add = Add;
  }
});

// node_modules/dockerfile-ast/lib/property.js
var require_property = __commonJS({
  "node_modules/dockerfile-ast/lib/property.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Property = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var util_1 = require_util();
    var Property = class _Property {
      constructor(document, escapeChar2, arg, arg2) {
        this.assignmentOperatorRange = null;
        this.assignmentOperator = null;
        this.valueRange = null;
        this.value = null;
        this.document = document;
        this.escapeChar = escapeChar2;
        this.nameRange = _Property.getNameRange(document, arg);
        let value = document.getText().substring(document.offsetAt(this.nameRange.start), document.offsetAt(this.nameRange.end));
        this.name = _Property.getValue(value, escapeChar2);
        if (arg2) {
          this.valueRange = arg2.getRange();
          value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
          this.value = _Property.getValue(value, escapeChar2);
          this.range = vscode_languageserver_types_1.Range.create(this.nameRange.start, this.valueRange.end);
        } else {
          let argRange = arg.getRange();
          if (this.nameRange.start.line === argRange.start.line && this.nameRange.start.character === argRange.start.character && this.nameRange.end.line === argRange.end.line && this.nameRange.end.character === argRange.end.character) {
          } else {
            this.valueRange = _Property.getValueRange(document, arg);
            value = document.getText().substring(document.offsetAt(this.valueRange.start), document.offsetAt(this.valueRange.end));
            this.value = _Property.getValue(value, escapeChar2);
            this.assignmentOperatorRange = vscode_languageserver_types_1.Range.create(this.nameRange.end, this.valueRange.start);
            this.assignmentOperator = "=";
          }
          this.range = argRange;
        }
      }
      getRange() {
        return this.range;
      }
      getName() {
        return this.name;
      }
      getNameRange() {
        return this.nameRange;
      }
      getValue() {
        return this.value;
      }
      getValueRange() {
        return this.valueRange;
      }
      /**
       * Retrieves the operator used for delimiting between the name and
       * value of this property. This will either be the "=" character
       * or null if a character was not used or if this property has no
       * value defined.
       */
      getAssignmentOperator() {
        return this.assignmentOperator;
      }
      getAssignmentOperatorRange() {
        return this.assignmentOperatorRange;
      }
      /**
       * Returns the value of this property including any enclosing
       * single or double quotes and relevant escape characters.
       * Escaped newlines and its associated contiguous whitespace
       * characters however will not be returned as they are deemed to
       * be uninteresting to clients trying to return a Dockerfile.
       *
       * @return the unescaped value of this property or null if this
       *         property has no associated value
       */
      getUnescapedValue() {
        if (this.valueRange === null) {
          return null;
        }
        let escaped = false;
        let rawValue = "";
        let value = this.document.getText().substring(this.document.offsetAt(this.valueRange.start), this.document.offsetAt(this.valueRange.end));
        rawLoop: for (let i2 = 0; i2 < value.length; i2++) {
          let char = value.charAt(i2);
          switch (char) {
            case this.escapeChar:
              for (let j = i2 + 1; j < value.length; j++) {
                switch (value.charAt(j)) {
                  case "\r":
                    j++;
                  case "\n":
                    escaped = true;
                    i2 = j;
                    continue rawLoop;
                  case " ":
                  case "	":
                    break;
                  default:
                    rawValue = rawValue + char;
                    continue rawLoop;
                }
              }
              rawValue = rawValue + char;
              break;
            case "\r":
            case "\n":
              break;
            case " ":
            case "	":
              if (!escaped) {
                rawValue = rawValue + char;
              }
              break;
            case "#":
              if (escaped) {
                for (let j = i2 + 1; j < value.length; j++) {
                  switch (value.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      continue rawLoop;
                  }
                }
              } else {
                rawValue = rawValue + char;
              }
              break;
            default:
              rawValue = rawValue + char;
              escaped = false;
              break;
          }
        }
        return rawValue;
      }
      static getNameRange(document, arg) {
        let value = arg.getValue();
        let index = value.indexOf("=");
        if (index !== -1) {
          let initial = value.charAt(0);
          let before = value.charAt(index - 1);
          if (initial === '"' && before === '"' || initial === "'" && before === "'" || initial !== '"' && initial !== "'") {
            return vscode_languageserver_types_1.Range.create(arg.getRange().start, document.positionAt(document.offsetAt(arg.getRange().start) + index));
          }
        }
        return arg.getRange();
      }
      static getValueRange(document, arg) {
        return vscode_languageserver_types_1.Range.create(document.positionAt(document.offsetAt(arg.getRange().start) + arg.getValue().indexOf("=") + 1), document.positionAt(document.offsetAt(arg.getRange().end)));
      }
      /**
       * Returns the actual value of this key-value pair. The value will
       * have its escape characters removed if applicable. If the value
       * spans multiple lines and there are comments nested within the
       * lines, they too will be removed.
       *
       * @return the value that this key-value pair will actually be, may
       *         be null if no value is defined, may be the empty string
       *         if the value only consists of whitespace
       */
      static getValue(value, escapeChar2) {
        let escaped = false;
        const skip = util_1.Util.findLeadingNonWhitespace(value, escapeChar2);
        if (skip !== 0 && value.charAt(skip) === "#") {
          escaped = true;
        }
        value = value.substring(skip);
        let first = value.charAt(0);
        let last = value.charAt(value.length - 1);
        let literal = first === "'" || first === '"';
        let inSingle = first === "'" && last === "'";
        let inDouble = false;
        if (first === '"') {
          for (let i2 = 1; i2 < value.length; i2++) {
            if (value.charAt(i2) === escapeChar2) {
              i2++;
            } else if (value.charAt(i2) === '"' && i2 === value.length - 1) {
              inDouble = true;
            }
          }
        }
        if (inSingle || inDouble) {
          value = value.substring(1, value.length - 1);
        }
        let commentCheck = -1;
        let escapedValue = "";
        let start = 0;
        parseValue: for (let i2 = 0; i2 < value.length; i2++) {
          let char = value.charAt(i2);
          switch (char) {
            case escapeChar2:
              if (i2 + 1 === value.length) {
                escapedValue = escapedValue + escapeChar2;
                break parseValue;
              }
              char = value.charAt(i2 + 1);
              if (char === " " || char === "	") {
                whitespaceCheck: for (let j = i2 + 2; j < value.length; j++) {
                  let char2 = value.charAt(j);
                  switch (char2) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                      j++;
                    case "\n":
                      escaped = true;
                      i2 = j;
                      continue parseValue;
                    default:
                      if (!inDouble && !inSingle && !literal) {
                        if (char2 === escapeChar2) {
                          escapedValue = escapedValue + char;
                          i2 = i2 + 1;
                        } else {
                          escapedValue = escapedValue + char + char2;
                          i2 = j;
                        }
                        continue parseValue;
                      }
                      break whitespaceCheck;
                  }
                }
              }
              if (inDouble) {
                if (char === "\r") {
                  escaped = true;
                  i2 = i2 + 2;
                } else if (char === "\n") {
                  escaped = true;
                  i2++;
                } else if (char !== '"') {
                  if (char === escapeChar2) {
                    i2++;
                  }
                  escapedValue = escapedValue + escapeChar2;
                }
                continue parseValue;
              } else if (inSingle || literal) {
                if (char === "\r") {
                  escaped = true;
                  i2 = i2 + 2;
                } else if (char === "\n") {
                  escaped = true;
                  i2++;
                } else {
                  escapedValue = escapedValue + escapeChar2;
                }
                continue parseValue;
              } else if (char === escapeChar2) {
                escapedValue = escapedValue + escapeChar2;
                i2++;
              } else if (char === "\r") {
                escaped = true;
                i2 = i2 + 2;
              } else if (char === "\n") {
                escaped = true;
                i2++;
                start = i2;
              } else {
                escapedValue = escapedValue + char;
                i2++;
              }
              break;
            case " ":
            case "	":
              if (escaped && commentCheck === -1) {
                commentCheck = i2;
              }
              escapedValue = escapedValue + char;
              break;
            case "\r":
              i2++;
            case "\n":
              if (escaped && commentCheck !== -1) {
                escapedValue = escapedValue.substring(0, escapedValue.length - (i2 - commentCheck - 1));
                commentCheck = -1;
              }
              break;
            case "#":
              if (escaped) {
                if (commentCheck !== -1) {
                  escapedValue = escapedValue.substring(0, escapedValue.length - (i2 - commentCheck));
                  commentCheck = -1;
                }
                newlineCheck: for (let j = i2 + 1; j < value.length; j++) {
                  switch (value.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      break newlineCheck;
                  }
                }
                continue parseValue;
              }
            default:
              if (escaped) {
                escaped = false;
                commentCheck = -1;
              }
              escapedValue = escapedValue + char;
              break;
          }
        }
        return escapedValue;
      }
    };
    exports.Property = Property;
  }
});

// node_modules/dockerfile-ast/lib/propertyInstruction.js
var require_propertyInstruction = __commonJS({
  "node_modules/dockerfile-ast/lib/propertyInstruction.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.PropertyInstruction = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var instruction_1 = require_instruction();
    var property_1 = require_property();
    var argument_1 = require_argument();
    var util_1 = require_util();
    var PropertyInstruction = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.properties = void 0;
      }
      getProperties() {
        if (this.properties === void 0) {
          let args = this.getPropertyArguments();
          if (args.length === 0) {
            this.properties = [];
          } else if (args.length === 1) {
            this.properties = [new property_1.Property(this.document, this.escapeChar, args[0])];
          } else if (args.length === 2) {
            if (args[0].getValue().indexOf("=") === -1) {
              this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], args[1])];
            } else {
              this.properties = [
                new property_1.Property(this.document, this.escapeChar, args[0]),
                new property_1.Property(this.document, this.escapeChar, args[1])
              ];
            }
          } else if (args[0].getValue().indexOf("=") === -1) {
            let text = this.document.getText();
            let start = args[1].getRange().start;
            let end = args[args.length - 1].getRange().end;
            text = text.substring(this.document.offsetAt(start), this.document.offsetAt(end));
            this.properties = [new property_1.Property(this.document, this.escapeChar, args[0], new argument_1.Argument(text, vscode_languageserver_types_1.Range.create(args[1].getRange().start, args[args.length - 1].getRange().end)))];
          } else {
            this.properties = [];
            for (let i2 = 0; i2 < args.length; i2++) {
              this.properties.push(new property_1.Property(this.document, this.escapeChar, args[i2]));
            }
          }
        }
        return this.properties;
      }
      /**
       * Goes from the back of the string and returns the first
       * non-whitespace character that is found. If an escape character
       * is found with newline characters, the escape character will
       * not be considered a non-whitespace character and its index in
       * the string will not be returned.
       *
       * @param content the string to search through
       * @return the index in the string for the first non-whitespace
       *         character when searching from the end of the string
       */
      findTrailingNonWhitespace(content) {
        let index = content.length;
        whitespaceCheck: for (let i2 = content.length - 1; i2 >= 0; i2--) {
          switch (content.charAt(i2)) {
            case " ":
            case "	":
              continue;
            case "\n":
              if (content.charAt(i2 - 1) === "\r") {
                i2 = i2 - 1;
              }
            case "\r":
              newlineCheck: for (let j = i2 - 1; j >= 0; j--) {
                switch (content.charAt(j)) {
                  case " ":
                  case "	":
                  case "\r":
                  case "\n":
                  case this.escapeChar:
                    continue;
                  default:
                    index = j;
                    break newlineCheck;
                }
              }
              break whitespaceCheck;
            default:
              index = i2;
              break whitespaceCheck;
          }
        }
        return index;
      }
      getPropertyArguments() {
        const args = [];
        let range = this.getInstructionRange();
        let instructionNameEndOffset = this.document.offsetAt(range.end);
        let extra = instructionNameEndOffset - this.document.offsetAt(range.start);
        let content = this.getTextContent();
        let fullArgs = content.substring(extra);
        let start = util_1.Util.findLeadingNonWhitespace(fullArgs, this.escapeChar);
        if (start === -1) {
          return [];
        }
        const startPosition = this.document.positionAt(instructionNameEndOffset + start);
        let escaped = range.start.line !== startPosition.line;
        let endingEscape = false;
        let mark = -1;
        let end = this.findTrailingNonWhitespace(fullArgs);
        content = fullArgs.substring(start, end + 1);
        let argStart = escaped ? -1 : 0;
        let spaced = false;
        argumentLoop: for (let i2 = 0; i2 < content.length; i2++) {
          let char = content.charAt(i2);
          switch (char) {
            case this.escapeChar:
              if (i2 + 1 === content.length) {
                endingEscape = true;
                break argumentLoop;
              }
              if (!escaped) {
                mark = i2;
              }
              switch (content.charAt(i2 + 1)) {
                case " ":
                case "	":
                  if (!util_1.Util.isWhitespace(content.charAt(i2 + 2))) {
                    i2 = i2 + 1;
                    continue argumentLoop;
                  }
                  whitespaceCheck: for (let j = i2 + 2; j < content.length; j++) {
                    switch (content.charAt(j)) {
                      case "\r":
                        j++;
                      case "\n":
                        escaped = true;
                        i2 = j;
                        continue argumentLoop;
                      case " ":
                      case "	":
                        break;
                      default:
                        args.push(new argument_1.Argument(content.substring(argStart, i2), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i2 + 2))));
                        argStart = j;
                        break whitespaceCheck;
                    }
                  }
                  i2 = argStart - 1;
                  continue argumentLoop;
                case "\r":
                  i2++;
                case "\n":
                  escaped = true;
                  i2 = i2 + 1;
                  continue argumentLoop;
                case this.escapeChar:
                  if (argStart === -1) {
                    argStart = i2;
                  }
                  i2 = i2 + 1;
                  continue argumentLoop;
                default:
                  if (argStart === -1) {
                    argStart = i2;
                  }
                  continue argumentLoop;
              }
            case "'":
            case '"':
              if (spaced) {
                this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
                argStart = i2;
                spaced = false;
              }
              if (argStart === -1) {
                argStart = i2;
              }
              for (let j = i2 + 1; j < content.length; j++) {
                switch (content.charAt(j)) {
                  case char:
                    if (content.charAt(j + 1) !== " " && content.charAt(j + 1) !== "") {
                      i2 = j;
                      continue argumentLoop;
                    }
                    args.push(new argument_1.Argument(content.substring(argStart, j + 1), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + j + 1))));
                    i2 = j;
                    argStart = -1;
                    continue argumentLoop;
                  case this.escapeChar:
                    j++;
                    break;
                }
              }
              break argumentLoop;
            case " ":
            case "	":
              if (escaped) {
                if (argStart !== -1) {
                  spaced = true;
                }
              } else if (argStart !== -1) {
                args.push(new argument_1.Argument(content.substring(argStart, i2), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + i2))));
                argStart = -1;
              }
              break;
            case "\r":
              i2++;
            case "\n":
              spaced = false;
              break;
            case "#":
              if (escaped) {
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case "\r":
                      j++;
                    case "\n":
                      i2 = j;
                      spaced = false;
                      continue argumentLoop;
                  }
                }
                if (argStart !== -1) {
                  let value = content.substring(argStart, mark);
                  args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
                  argStart = -1;
                }
                break argumentLoop;
              } else if (argStart === -1) {
                argStart = i2;
              }
              break;
            default:
              if (spaced) {
                this.createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start);
                argStart = i2;
                spaced = false;
              }
              escaped = false;
              if (argStart === -1) {
                argStart = i2;
              }
              if (char === "$" && content.charAt(i2 + 1) === "{") {
                let singleQuotes = false;
                let doubleQuotes = false;
                let escaped2 = false;
                for (let j = i2 + 1; j < content.length; j++) {
                  switch (content.charAt(j)) {
                    case this.escapeChar:
                      escaped2 = true;
                      break;
                    case "\r":
                    case "\n":
                      break;
                    case "'":
                      singleQuotes = !singleQuotes;
                      escaped2 = false;
                      break;
                    case '"':
                      doubleQuotes = !doubleQuotes;
                      escaped2 = false;
                      break;
                    case " ":
                    case "	":
                      if (escaped2 || singleQuotes || doubleQuotes) {
                        break;
                      }
                      i2 = j - 1;
                      continue argumentLoop;
                    case "}":
                      i2 = j;
                      continue argumentLoop;
                    default:
                      escaped2 = false;
                      break;
                  }
                }
                break argumentLoop;
              }
              break;
          }
        }
        if (argStart !== -1 && argStart !== content.length) {
          let end2 = endingEscape ? content.length - 1 : content.length;
          let value = content.substring(argStart, end2);
          args.push(new argument_1.Argument(value, vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + end2))));
        }
        return args;
      }
      createSpacedArgument(argStart, args, content, mark, instructionNameEndOffset, start) {
        if (argStart !== -1) {
          args.push(new argument_1.Argument(content.substring(argStart, mark), vscode_languageserver_types_1.Range.create(this.document.positionAt(instructionNameEndOffset + start + argStart), this.document.positionAt(instructionNameEndOffset + start + mark))));
        }
      }
    };
    exports.PropertyInstruction = PropertyInstruction;
  }
});

// node_modules/dockerfile-ast/lib/instructions/arg.js
var require_arg = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/arg.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Arg = void 0;
    var property_1 = require_property();
    var propertyInstruction_1 = require_propertyInstruction();
    var Arg = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
        this.property = null;
        const args = this.getPropertyArguments();
        if (args.length === 1) {
          this.property = new property_1.Property(this.document, this.escapeChar, args[0]);
        } else {
          this.property = null;
        }
      }
      /**
       * Returns the variable defined by this ARG. This may be null if
       * this ARG instruction is malformed and has no variable
       * declaration.
       */
      getProperty() {
        return this.property;
      }
    };
    exports.Arg = Arg;
  }
});

// node_modules/dockerfile-ast/lib/instructions/cmd.js
var require_cmd = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/cmd.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Cmd = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Cmd = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Cmd = Cmd;
  }
});

// node_modules/dockerfile-ast/lib/instructions/copy.js
var require_copy = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/copy.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Copy = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Copy = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      getFromFlag() {
        let flags = super.getFlags();
        return flags.length === 1 && flags[0].getName() === "from" ? flags[0] : null;
      }
      /**
       * Returns there here-documents that are defined in this RUN
       * instruction.
       *
       * This API is experimental and subject to change.
       */
      getHeredocs() {
        return super.getHeredocs();
      }
    };
    exports.Copy = Copy;
  }
});

// node_modules/dockerfile-ast/lib/instructions/env.js
var require_env = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/env.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Env = void 0;
    var propertyInstruction_1 = require_propertyInstruction();
    var Env = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getProperties() {
        return super.getProperties();
      }
    };
    exports.Env = Env;
  }
});

// node_modules/dockerfile-ast/lib/instructions/entrypoint.js
var require_entrypoint = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/entrypoint.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Entrypoint = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Entrypoint = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Entrypoint = Entrypoint;
  }
});

// node_modules/dockerfile-ast/lib/instructions/from.js
var require_from = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/from.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.From = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var modifiableInstruction_1 = require_modifiableInstruction();
    var From = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      getImage() {
        const args = this.getArguments();
        return args.length > 0 ? args[0].getValue() : null;
      }
      /**
       * Returns the name of the image that will be used as the base image.
       *
       * @return the base image's name, or null if unspecified
       */
      getImageName() {
        const imageName = this.getRangeContent(this.getImageNameRange());
        if (imageName === null) {
          return null;
        }
        let commented = false;
        let escaped = false;
        let name = "";
        for (let i2 = 0; i2 < imageName.length; i2++) {
          const ch = imageName.charAt(i2);
          switch (ch) {
            case this.escapeChar:
              escaped = true;
              break;
            case "\r":
              continue;
            case "\n":
              commented = false;
              break;
            case " ":
            case "	":
              break;
            case "#":
              if (escaped) {
                commented = true;
              } else {
                name = name + ch;
                escaped = false;
              }
              break;
            default:
              if (!commented) {
                name = name + ch;
                escaped = false;
              }
              break;
          }
        }
        return name;
      }
      /**
       * Returns the range that covers the name of the image used by
       * this instruction.
       *
       * @return the range of the name of this instruction's argument,
       *         or null if no image has been specified
       */
      getImageNameRange() {
        let range = this.getImageRange();
        if (range) {
          let registryRange = this.getRegistryRange();
          if (registryRange) {
            range.start = this.document.positionAt(this.document.offsetAt(registryRange.end) + 1);
          }
          let tagRange = this.getImageTagRange();
          let digestRange = this.getImageDigestRange();
          if (tagRange === null) {
            if (digestRange !== null) {
              range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
            }
          } else {
            range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
          }
          return range;
        }
        return null;
      }
      /**
       * Returns the range that covers the image argument of this
       * instruction. This includes the tag or digest of the image if
       * it has been specified by the instruction.
       *
       * @return the range of the image argument, or null if no image
       *         has been specified
       */
      getImageRange() {
        let args = this.getArguments();
        return args.length !== 0 ? args[0].getRange() : null;
      }
      getImageTag() {
        return this.getRangeContent(this.getImageTagRange());
      }
      /**
       * Returns the range in the document that the tag of the base
       * image encompasses.
       *
       * @return the base image's tag's range in the document, or null
       *         if no tag has been specified
       */
      getImageTagRange() {
        const range = this.getImageRange();
        if (range) {
          const rangeStartOffset = this.document.offsetAt(range.start);
          const content = this.getRangeContent(range);
          const atIndex = this.indexOf(rangeStartOffset, content, "@");
          const slashIndex = content.indexOf("/");
          if (atIndex === -1) {
            const colonIndex = this.lastIndexOf(rangeStartOffset, content, ":");
            if (colonIndex > slashIndex) {
              return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + colonIndex + 1), range.end);
            }
          }
          const subcontent = content.substring(0, atIndex);
          const subcolonIndex = subcontent.indexOf(":");
          if (subcolonIndex === -1) {
            return null;
          }
          if (slashIndex === -1) {
            return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + atIndex));
          }
          if (subcolonIndex < slashIndex) {
            return null;
          }
          return vscode_languageserver_types_1.Range.create(this.document.positionAt(rangeStartOffset + subcolonIndex + 1), this.document.positionAt(rangeStartOffset + subcontent.length));
        }
        return null;
      }
      getImageDigest() {
        return this.getRangeContent(this.getImageDigestRange());
      }
      /**
       * Returns the range in the document that the digest of the base
       * image encompasses.
       *
       * @return the base image's digest's range in the document, or null
       *         if no digest has been specified
       */
      getImageDigestRange() {
        let range = this.getImageRange();
        if (range) {
          let content = this.getRangeContent(range);
          let index = this.lastIndexOf(this.document.offsetAt(range.start), content, "@");
          if (index !== -1) {
            return vscode_languageserver_types_1.Range.create(range.start.line, range.start.character + index + 1, range.end.line, range.end.character);
          }
        }
        return null;
      }
      indexOf(documentOffset, content, searchString) {
        let index = content.indexOf(searchString);
        const variables = this.getVariables();
        for (let i2 = 0; i2 < variables.length; i2++) {
          const position = documentOffset + index;
          const variableRange = variables[i2].getRange();
          if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
            const offset = this.document.offsetAt(variableRange.end) - documentOffset;
            const substring = content.substring(offset);
            const subIndex = substring.indexOf(searchString);
            if (subIndex === -1) {
              return -1;
            }
            index = subIndex + offset;
            i2 = -1;
            continue;
          }
        }
        return index;
      }
      lastIndexOf(documentOffset, content, searchString) {
        let index = content.lastIndexOf(searchString);
        const variables = this.getVariables();
        for (let i2 = 0; i2 < variables.length; i2++) {
          const position = documentOffset + index;
          const variableRange = variables[i2].getRange();
          if (this.document.offsetAt(variableRange.start) < position && position < this.document.offsetAt(variableRange.end)) {
            index = content.substring(0, index).lastIndexOf(searchString);
            if (index === -1) {
              return -1;
            }
            i2 = -1;
            continue;
          }
        }
        return index;
      }
      getRegistry() {
        return this.getRangeContent(this.getRegistryRange());
      }
      getRegistryRange() {
        const range = this.getImageRange();
        if (range) {
          const tagRange = this.getImageTagRange();
          const digestRange = this.getImageDigestRange();
          if (tagRange === null) {
            if (digestRange !== null) {
              range.end = this.document.positionAt(this.document.offsetAt(digestRange.start) - 1);
            }
          } else {
            range.end = this.document.positionAt(this.document.offsetAt(tagRange.start) - 1);
          }
          const content = this.getRangeContent(range);
          const rangeStart = this.document.offsetAt(range.start);
          const startingSlashIndex = this.indexOf(rangeStart, content, "/");
          if (startingSlashIndex === -1) {
            return null;
          }
          const portIndex = this.indexOf(rangeStart, content, ":");
          const dotIndex = this.indexOf(rangeStart, content, ".");
          if (portIndex !== -1 || dotIndex !== -1) {
            return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
          }
          const registry = content.substring(0, startingSlashIndex);
          if (registry === "localhost") {
            return vscode_languageserver_types_1.Range.create(range.start, this.document.positionAt(rangeStart + startingSlashIndex));
          }
        }
        return null;
      }
      getBuildStage() {
        let range = this.getBuildStageRange();
        return range === null ? null : this.getRangeContent(range);
      }
      getBuildStageRange() {
        let args = this.getArguments();
        if (args.length > 2 && args[1].getValue().toUpperCase() === "AS") {
          return args[2].getRange();
        }
        return null;
      }
      getPlatformFlag() {
        let flags = super.getFlags();
        return flags.length === 1 && flags[0].getName() === "platform" ? flags[0] : null;
      }
    };
    exports.From = From;
  }
});

// node_modules/dockerfile-ast/lib/instructions/healthcheck.js
var require_healthcheck = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/healthcheck.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Healthcheck = void 0;
    var modifiableInstruction_1 = require_modifiableInstruction();
    var Healthcheck = class extends modifiableInstruction_1.ModifiableInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        argument = argument.toUpperCase();
        return argument === "CMD" || argument === "NONE";
      }
      getSubcommand() {
        let args = this.getArguments();
        return args.length !== 0 ? args[0] : null;
      }
    };
    exports.Healthcheck = Healthcheck;
  }
});

// node_modules/dockerfile-ast/lib/instructions/label.js
var require_label = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/label.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Label = void 0;
    var propertyInstruction_1 = require_propertyInstruction();
    var util_1 = require_util();
    var Label = class extends propertyInstruction_1.PropertyInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getVariables() {
        const variables = super.getVariables();
        const properties = this.getProperties();
        for (const property of properties) {
          const value = property.getUnescapedValue();
          if (value !== null && value.length > 2 && value.charAt(0) === "'" && value.charAt(value.length - 1) === "'") {
            const range = property.getValueRange();
            for (let i2 = 0; i2 < variables.length; i2++) {
              if (util_1.Util.isInsideRange(variables[i2].getRange().start, range)) {
                variables.splice(i2, 1);
                i2--;
              }
            }
          }
        }
        return variables;
      }
      getProperties() {
        return super.getProperties();
      }
    };
    exports.Label = Label;
  }
});

// node_modules/dockerfile-ast/lib/instructions/onbuild.js
var require_onbuild = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/onbuild.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Onbuild = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var parser_1 = require_parser();
    var instruction_1 = require_instruction();
    var Onbuild = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getTrigger() {
        let trigger = this.getTriggerWord();
        return trigger === null ? null : trigger.toUpperCase();
      }
      getTriggerWord() {
        return this.getRangeContent(this.getTriggerRange());
      }
      getTriggerRange() {
        let args = this.getArguments();
        return args.length > 0 ? args[0].getRange() : null;
      }
      getTriggerInstruction() {
        let triggerRange = this.getTriggerRange();
        if (triggerRange === null) {
          return null;
        }
        let args = this.getArguments();
        return parser_1.Parser.createInstruction(this.document, this.dockerfile, this.escapeChar, vscode_languageserver_types_1.Range.create(args[0].getRange().start, this.getRange().end), this.getTriggerWord(), triggerRange);
      }
    };
    exports.Onbuild = Onbuild;
  }
});

// node_modules/dockerfile-ast/lib/instructions/run.js
var require_run = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/run.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Run = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Run = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      stopSearchingForFlags(argument) {
        return argument.indexOf("--") === -1;
      }
      /**
       * Returns there here-documents that are defined in this RUN
       * instruction.
       *
       * This API is experimental and subject to change.
       */
      getHeredocs() {
        return super.getHeredocs();
      }
    };
    exports.Run = Run;
  }
});

// node_modules/dockerfile-ast/lib/instructions/shell.js
var require_shell = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/shell.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Shell = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Shell = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Shell = Shell;
  }
});

// node_modules/dockerfile-ast/lib/instructions/stopsignal.js
var require_stopsignal = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/stopsignal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Stopsignal = void 0;
    var instruction_1 = require_instruction();
    var Stopsignal = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Stopsignal = Stopsignal;
  }
});

// node_modules/dockerfile-ast/lib/instructions/workdir.js
var require_workdir = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/workdir.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Workdir = void 0;
    var instruction_1 = require_instruction();
    var Workdir = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
      /**
       * Returns the path that has been defined. Note that this path may
       * be absolute or relative depending on what was written in the
       * instruction.
       *
       * @return the working directory's path, or null if this
       *         instruction has no arguments
       */
      getPath() {
        return this.getArgumentsContent();
      }
      /**
       * Returns the absolute path that this instruction resolves to. The
       * function will inspect prior WORKDIR instructions in the current
       * image or another build stage in the Dockerfile to try to
       * determine this.
       *
       * @return the absolute path of the working directory, or null if
       *         this instruction has no arguments, or undefined if it
       *         cannot be determined because only relative paths could be
       *         found
       */
      getAbsolutePath() {
        const path = this.getPath();
        if (path === null || path.startsWith("/")) {
          return path;
        }
        const startLine = this.getRange().start.line;
        const hierarchy = this.dockerfile.getStageHierarchy(startLine);
        for (let i2 = hierarchy.length - 1; i2 >= 0; i2--) {
          const workdirs = hierarchy[i2].getWORKDIRs();
          for (let j = workdirs.length - 1; j >= 0; j--) {
            if (workdirs[j].getRange().start.line < startLine) {
              const parent = workdirs[j].getAbsolutePath();
              if (parent === void 0 || parent === null) {
                return void 0;
              }
              return parent.endsWith("/") ? parent + path : parent + "/" + path;
            }
          }
        }
        return void 0;
      }
    };
    exports.Workdir = Workdir;
  }
});

// node_modules/dockerfile-ast/lib/instructions/user.js
var require_user = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/user.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.User = void 0;
    var instruction_1 = require_instruction();
    var User = class extends instruction_1.Instruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.User = User;
  }
});

// node_modules/dockerfile-ast/lib/instructions/volume.js
var require_volume = __commonJS({
  "node_modules/dockerfile-ast/lib/instructions/volume.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Volume = void 0;
    var jsonInstruction_1 = require_jsonInstruction();
    var Volume = class extends jsonInstruction_1.JSONInstruction {
      constructor(document, range, dockerfile, escapeChar2, instruction, instructionRange) {
        super(document, range, dockerfile, escapeChar2, instruction, instructionRange);
      }
    };
    exports.Volume = Volume;
  }
});

// node_modules/dockerfile-ast/lib/imageTemplate.js
var require_imageTemplate = __commonJS({
  "node_modules/dockerfile-ast/lib/imageTemplate.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ImageTemplate = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var arg_1 = require_arg();
    var cmd_1 = require_cmd();
    var copy_1 = require_copy();
    var env_1 = require_env();
    var entrypoint_1 = require_entrypoint();
    var from_1 = require_from();
    var healthcheck_1 = require_healthcheck();
    var onbuild_1 = require_onbuild();
    var util_1 = require_util();
    var workdir_1 = require_workdir();
    var ImageTemplate = class {
      constructor() {
        this.comments = [];
        this.instructions = [];
      }
      addComment(comment) {
        this.comments.push(comment);
      }
      getComments() {
        return this.comments;
      }
      addInstruction(instruction) {
        this.instructions.push(instruction);
      }
      getInstructions() {
        return this.instructions;
      }
      getInstructionAt(line) {
        for (let instruction of this.instructions) {
          if (util_1.Util.isInsideRange(vscode_languageserver_types_1.Position.create(line, 0), instruction.getRange())) {
            return instruction;
          }
        }
        return null;
      }
      /**
       * Gets all the ARG instructions that are defined in this image.
       */
      getARGs() {
        let args = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof arg_1.Arg) {
            args.push(instruction);
          }
        }
        return args;
      }
      /**
       * Gets all the CMD instructions that are defined in this image.
       */
      getCMDs() {
        let cmds = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof cmd_1.Cmd) {
            cmds.push(instruction);
          }
        }
        return cmds;
      }
      /**
       * Gets all the COPY instructions that are defined in this image.
       */
      getCOPYs() {
        let copies = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof copy_1.Copy) {
            copies.push(instruction);
          }
        }
        return copies;
      }
      /**
       * Gets all the ENTRYPOINT instructions that are defined in this image.
       */
      getENTRYPOINTs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof entrypoint_1.Entrypoint) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      /**
       * Gets all the ENV instructions that are defined in this image.
       */
      getENVs() {
        let args = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof env_1.Env) {
            args.push(instruction);
          }
        }
        return args;
      }
      getFROM() {
        for (const instruction of this.instructions) {
          if (instruction instanceof from_1.From) {
            return instruction;
          }
        }
        return null;
      }
      /**
       * Gets all the FROM instructions that are defined in this image.
       */
      getFROMs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof from_1.From) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      /**
       * Gets all the HEALTHCHECK instructions that are defined in this image.
       */
      getHEALTHCHECKs() {
        let froms = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof healthcheck_1.Healthcheck) {
            froms.push(instruction);
          }
        }
        return froms;
      }
      getWORKDIRs() {
        const workdirs = [];
        for (const instruction of this.instructions) {
          if (instruction instanceof workdir_1.Workdir) {
            workdirs.push(instruction);
          }
        }
        return workdirs;
      }
      getOnbuildTriggers() {
        let triggers = [];
        for (let instruction of this.instructions) {
          if (instruction instanceof onbuild_1.Onbuild) {
            let trigger = instruction.getTriggerInstruction();
            if (trigger) {
              triggers.push(trigger);
            }
          }
        }
        return triggers;
      }
      getAvailableVariables(currentLine) {
        const variables = [];
        for (const arg of this.getARGs()) {
          if (arg.isBefore(currentLine)) {
            const property = arg.getProperty();
            if (property) {
              const variable = property.getName();
              if (variables.indexOf(variable) === -1) {
                variables.push(variable);
              }
            }
          }
        }
        for (const env of this.getENVs()) {
          if (env.isBefore(currentLine)) {
            for (const property of env.getProperties()) {
              const variable = property.getName();
              if (variables.indexOf(variable) === -1) {
                variables.push(variable);
              }
            }
          }
        }
        return variables;
      }
      /**
       * Resolves a variable with the given name at the specified line
       * to its value. If null is returned, then the variable has been
       * defined but no value was given. If undefined is returned, then
       * a variable with the given name has not been defined yet as of
       * the given line.
       *
       * @param variable the name of the variable to resolve
       * @param line the line number that the variable is on, zero-based
       * @return the value of the variable as defined by an ARG or ENV
       *         instruction, or null if no value has been specified, or
       *         undefined if a variable with the given name has not
       *         been defined
       */
      resolveVariable(variable, line) {
        let envs = this.getENVs();
        for (let i2 = envs.length - 1; i2 >= 0; i2--) {
          if (envs[i2].isBefore(line)) {
            for (let property of envs[i2].getProperties()) {
              if (property.getName() === variable) {
                return property.getValue();
              }
            }
          }
        }
        let args = this.getARGs();
        for (let i2 = args.length - 1; i2 >= 0; i2--) {
          if (args[i2].isBefore(line)) {
            let property = args[i2].getProperty();
            if (property && property.getName() === variable) {
              return property.getValue();
            }
          }
        }
        return void 0;
      }
      getRange() {
        const instructions = this.getInstructions();
        if (instructions.length === 0) {
          return vscode_languageserver_types_1.Range.create(0, 0, 0, 0);
        }
        const instructionStart = instructions[0].getRange().start;
        const instructionEnd2 = instructions[instructions.length - 1].getRange().end;
        return vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd2);
      }
      contains(position) {
        const range = this.getRange();
        if (range === null) {
          return false;
        }
        return util_1.Util.isInsideRange(position, range);
      }
    };
    exports.ImageTemplate = ImageTemplate;
  }
});

// node_modules/dockerfile-ast/lib/dockerfile.js
var require_dockerfile = __commonJS({
  "node_modules/dockerfile-ast/lib/dockerfile.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Dockerfile = void 0;
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var ast = require_main();
    var imageTemplate_1 = require_imageTemplate();
    var from_1 = require_from();
    var util_1 = require_util();
    var main_1 = require_main();
    var Dockerfile = class extends imageTemplate_1.ImageTemplate {
      constructor(document) {
        super();
        this.initialInstructions = new imageTemplate_1.ImageTemplate();
        this.buildStages = [];
        this.directives = [];
        this.foundFrom = false;
        this.document = document;
      }
      getEscapeCharacter() {
        for (const directive of this.directives) {
          if (directive.getDirective() === ast.Directive.escape) {
            const value = directive.getValue();
            if (value === "\\" || value === "`") {
              return value;
            }
          }
        }
        return "\\";
      }
      getInitialARGs() {
        return this.initialInstructions.getARGs();
      }
      getContainingImage(position) {
        let range = vscode_languageserver_types_1.Range.create(vscode_languageserver_types_1.Position.create(0, 0), this.document.positionAt(this.document.getText().length));
        if (!util_1.Util.isInsideRange(position, range)) {
          return null;
        }
        if (this.initialInstructions.getComments().length > 0 || this.initialInstructions.getInstructions().length > 0) {
          if (util_1.Util.isInsideRange(position, this.initialInstructions.getRange())) {
            return this.initialInstructions;
          }
        }
        for (const buildStage of this.buildStages) {
          if (util_1.Util.isInsideRange(position, buildStage.getRange())) {
            return buildStage;
          }
        }
        return this;
      }
      addInstruction(instruction) {
        if (instruction.getKeyword() === main_1.Keyword.FROM) {
          this.currentBuildStage = new imageTemplate_1.ImageTemplate();
          this.buildStages.push(this.currentBuildStage);
          this.foundFrom = true;
        } else if (!this.foundFrom) {
          this.initialInstructions.addInstruction(instruction);
        }
        if (this.foundFrom) {
          this.currentBuildStage.addInstruction(instruction);
        }
        super.addInstruction(instruction);
      }
      setDirectives(directives) {
        this.directives = directives;
      }
      getDirective() {
        return this.directives.length === 0 ? null : this.directives[0];
      }
      getDirectives() {
        return this.directives;
      }
      resolveVariable(variable, line) {
        for (let from of this.getFROMs()) {
          let range = from.getRange();
          if (range.start.line <= line && line <= range.end.line) {
            let initialARGs = new imageTemplate_1.ImageTemplate();
            for (let instruction of this.initialInstructions.getARGs()) {
              initialARGs.addInstruction(instruction);
            }
            return initialARGs.resolveVariable(variable, line);
          }
        }
        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        if (image === null) {
          return void 0;
        }
        let resolvedVariable = image.resolveVariable(variable, line);
        if (resolvedVariable === null) {
          let initialARGs = new imageTemplate_1.ImageTemplate();
          for (let instruction of this.initialInstructions.getARGs()) {
            initialARGs.addInstruction(instruction);
          }
          return initialARGs.resolveVariable(variable, line);
        }
        return resolvedVariable;
      }
      getAvailableVariables(currentLine) {
        if (this.getInstructionAt(currentLine) instanceof from_1.From) {
          let variables = [];
          for (let arg of this.getInitialARGs()) {
            let property = arg.getProperty();
            if (property) {
              variables.push(property.getName());
            }
          }
          return variables;
        }
        let image = this.getContainingImage(vscode_languageserver_types_1.Position.create(currentLine, 0));
        return image ? image.getAvailableVariables(currentLine) : [];
      }
      getParentStage(image) {
        const templateFrom = image.getFROM();
        const imageName = templateFrom === null ? null : templateFrom.getImageName();
        if (imageName === null) {
          return null;
        }
        for (const from of this.getFROMs()) {
          if (from.getBuildStage() === imageName) {
            const range = from.getRange();
            if (range.start.line === templateFrom.getRange().start.line) {
              return null;
            }
            return this.getContainingImage(range.start);
          }
        }
        return null;
      }
      getStageHierarchy(line) {
        const image = this.getContainingImage(vscode_languageserver_types_1.Position.create(line, 0));
        if (image === null) {
          return [];
        }
        const stages = [image];
        let stage = this.getParentStage(image);
        while (stage !== null) {
          stages.splice(0, 0, stage);
          stage = this.getParentStage(stage);
        }
        return stages;
      }
      getAvailableWorkingDirectories(line) {
        const availableDirectories = /* @__PURE__ */ new Set();
        for (const image of this.getStageHierarchy(line)) {
          for (const workdir of image.getWORKDIRs()) {
            if (workdir.getRange().end.line < line) {
              let directory = workdir.getAbsolutePath();
              if (directory !== void 0 && directory !== null) {
                if (!directory.endsWith("/")) {
                  directory += "/";
                }
                availableDirectories.add(directory);
              }
            }
          }
        }
        return Array.from(availableDirectories);
      }
      /**
       * Internally reorganize the comments in the Dockerfile and allocate
       * them to the relevant build stages that they belong to.
       */
      organizeComments() {
        const comments = this.getComments();
        for (let i2 = 0; i2 < comments.length; i2++) {
          if (util_1.Util.isInsideRange(comments[i2].getRange().end, this.initialInstructions.getRange())) {
            this.initialInstructions.addComment(comments[i2]);
          } else {
            for (const buildStage of this.buildStages) {
              if (util_1.Util.isInsideRange(comments[i2].getRange().start, buildStage.getRange())) {
                buildStage.addComment(comments[i2]);
              }
            }
          }
        }
      }
      getRange() {
        const comments = this.getComments();
        const instructions = this.getInstructions();
        let range = null;
        if (comments.length === 0) {
          if (instructions.length > 0) {
            range = vscode_languageserver_types_1.Range.create(instructions[0].getRange().start, instructions[instructions.length - 1].getRange().end);
          }
        } else if (instructions.length === 0) {
          range = vscode_languageserver_types_1.Range.create(comments[0].getRange().start, comments[comments.length - 1].getRange().end);
        } else {
          const commentStart = comments[0].getRange().start;
          const commentEnd = comments[comments.length - 1].getRange().end;
          const instructionStart = instructions[0].getRange().start;
          const instructionEnd2 = instructions[instructions.length - 1].getRange().end;
          if (commentStart.line < instructionStart.line) {
            if (commentEnd.line < instructionEnd2.line) {
              range = vscode_languageserver_types_1.Range.create(commentStart, instructionEnd2);
            }
            range = vscode_languageserver_types_1.Range.create(commentStart, commentEnd);
          } else if (commentEnd.line < instructionEnd2.line) {
            range = vscode_languageserver_types_1.Range.create(instructionStart, instructionEnd2);
          } else {
            range = vscode_languageserver_types_1.Range.create(instructionStart, commentEnd);
          }
        }
        if (range === null) {
          if (this.directives.length === 0) {
            return null;
          }
          return this.directives[0].getRange();
        } else if (this.directives.length === 0) {
          return range;
        }
        return vscode_languageserver_types_1.Range.create(this.directives[0].getRange().start, range.end);
      }
    };
    exports.Dockerfile = Dockerfile;
  }
});

// node_modules/dockerfile-ast/lib/parser.js
var require_parser = __commonJS({
  "node_modules/dockerfile-ast/lib/parser.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Parser = void 0;
    var vscode_languageserver_textdocument_1 = (init_main2(), __toCommonJS(main_exports2));
    var vscode_languageserver_types_1 = (init_main(), __toCommonJS(main_exports));
    var comment_1 = require_comment();
    var parserDirective_1 = require_parserDirective();
    var instruction_1 = require_instruction();
    var add_1 = require_add();
    var arg_1 = require_arg();
    var cmd_1 = require_cmd();
    var copy_1 = require_copy();
    var env_1 = require_env();
    var entrypoint_1 = require_entrypoint();
    var from_1 = require_from();
    var healthcheck_1 = require_healthcheck();
    var label_1 = require_label();
    var onbuild_1 = require_onbuild();
    var run_1 = require_run();
    var shell_1 = require_shell();
    var stopsignal_1 = require_stopsignal();
    var workdir_1 = require_workdir();
    var user_1 = require_user();
    var volume_1 = require_volume();
    var dockerfile_1 = require_dockerfile();
    var util_1 = require_util();
    var main_1 = require_main();
    var Parser = class _Parser {
      constructor() {
        this.escapeChar = null;
      }
      static createInstruction(document, dockerfile, escapeChar2, lineRange, instruction, instructionRange) {
        switch (instruction.toUpperCase()) {
          case "ADD":
            return new add_1.Add(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ARG":
            return new arg_1.Arg(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "CMD":
            return new cmd_1.Cmd(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "COPY":
            return new copy_1.Copy(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ENTRYPOINT":
            return new entrypoint_1.Entrypoint(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ENV":
            return new env_1.Env(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "FROM":
            return new from_1.From(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "HEALTHCHECK":
            return new healthcheck_1.Healthcheck(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "LABEL":
            return new label_1.Label(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "ONBUILD":
            return new onbuild_1.Onbuild(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "RUN":
            return new run_1.Run(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "SHELL":
            return new shell_1.Shell(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "STOPSIGNAL":
            return new stopsignal_1.Stopsignal(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "WORKDIR":
            return new workdir_1.Workdir(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "USER":
            return new user_1.User(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
          case "VOLUME":
            return new volume_1.Volume(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
        }
        return new instruction_1.Instruction(document, lineRange, dockerfile, escapeChar2, instruction, instructionRange);
      }
      getParserDirectives(document, buffer) {
        const directives = [];
        this.escapeChar = "";
        const offset = util_1.Util.isUTF8BOM(buffer.substring(0, 1)) ? 1 : 0;
        directiveCheck: for (let i2 = offset; i2 < buffer.length; i2++) {
          switch (buffer.charAt(i2)) {
            case " ":
            case "	":
              break;
            case "\r":
            case "\n":
              break directiveCheck;
            case "#":
              let directiveStart = -1;
              let directiveEnd = -1;
              for (let j = i2 + 1; j < buffer.length; j++) {
                let char = buffer.charAt(j);
                switch (char) {
                  case " ":
                  case "	":
                    if (directiveStart !== -1 && directiveEnd === -1) {
                      directiveEnd = j;
                    }
                    break;
                  case "\r":
                  case "\n":
                    break directiveCheck;
                  case "=":
                    let valueStart = -1;
                    let valueEnd = -1;
                    if (directiveEnd === -1) {
                      directiveEnd = j;
                    }
                    let lineEnd = buffer.length;
                    directiveValue: for (let k = j + 1; k < buffer.length; k++) {
                      char = buffer.charAt(k);
                      switch (char) {
                        case "\r":
                        case "\n":
                          if (valueStart !== -1 && valueEnd === -1) {
                            valueEnd = k;
                          }
                          lineEnd = k;
                          break directiveValue;
                        case "	":
                        case " ":
                          if (valueStart !== -1 && valueEnd === -1) {
                            valueEnd = k;
                          }
                          continue;
                        default:
                          if (valueStart === -1) {
                            valueStart = k;
                          }
                          break;
                      }
                    }
                    if (directiveStart === -1) {
                      break directiveCheck;
                    }
                    if (valueStart === -1) {
                      valueStart = j + 1;
                      valueEnd = lineEnd;
                    } else if (valueEnd === -1) {
                      valueEnd = buffer.length;
                    }
                    const lineRange = vscode_languageserver_types_1.Range.create(document.positionAt(i2), document.positionAt(lineEnd));
                    const nameRange = vscode_languageserver_types_1.Range.create(document.positionAt(directiveStart), document.positionAt(directiveEnd));
                    const valueRange = vscode_languageserver_types_1.Range.create(document.positionAt(valueStart), document.positionAt(valueEnd));
                    directives.push(new parserDirective_1.ParserDirective(document, lineRange, nameRange, valueRange));
                    directiveStart = -1;
                    if (buffer.charAt(valueEnd) === "\r") {
                      i2 = valueEnd + 1;
                    } else {
                      i2 = valueEnd;
                    }
                    continue directiveCheck;
                  default:
                    if (directiveStart === -1) {
                      directiveStart = j;
                    }
                    break;
                }
              }
              break;
            default:
              break directiveCheck;
          }
        }
        return directives;
      }
      parse(buffer) {
        this.document = vscode_languageserver_textdocument_1.TextDocument.create("", "", 0, buffer);
        this.buffer = buffer;
        let dockerfile = new dockerfile_1.Dockerfile(this.document);
        let directives = this.getParserDirectives(this.document, this.buffer);
        let offset = 0;
        this.escapeChar = "\\";
        if (directives.length > 0) {
          dockerfile.setDirectives(directives);
          this.escapeChar = dockerfile.getEscapeCharacter();
          offset = this.document.offsetAt(vscode_languageserver_types_1.Position.create(directives.length, 0));
        } else if (util_1.Util.isUTF8BOM(buffer.substring(0, 1))) {
          offset = 1;
        }
        for (let i2 = offset; i2 < this.buffer.length; i2++) {
          const char = this.buffer.charAt(i2);
          switch (char) {
            case " ":
            case "	":
            case "\r":
            case "\n":
              break;
            case "#":
              i2 = this.processComment(dockerfile, i2);
              break;
            default:
              i2 = this.processInstruction(dockerfile, char, i2);
              break;
          }
        }
        dockerfile.organizeComments();
        return dockerfile;
      }
      processInstruction(dockerfile, char, start) {
        let instruction = char;
        let instructionEnd2 = -1;
        let escapedInstruction = false;
        instructionCheck: for (let i2 = start + 1; i2 < this.buffer.length; i2++) {
          char = this.buffer.charAt(i2);
          switch (char) {
            case this.escapeChar:
              escapedInstruction = true;
              char = this.buffer.charAt(i2 + 1);
              if (char === "\r" || char === "\n") {
                if (instructionEnd2 === -1) {
                  instructionEnd2 = i2;
                }
                i2++;
              } else if (char === " " || char === "	") {
                for (let j = i2 + 2; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      i2 = j;
                      continue instructionCheck;
                    default:
                      instructionEnd2 = i2 + 1;
                      instruction = instruction + this.escapeChar;
                      i2 = j - 2;
                      continue instructionCheck;
                  }
                }
                instructionEnd2 = i2 + 1;
                instruction = instruction + this.escapeChar;
                break instructionCheck;
              } else {
                instructionEnd2 = i2 + 1;
                instruction = instruction + this.escapeChar;
                escapedInstruction = false;
              }
              break;
            case " ":
            case "	":
              if (escapedInstruction) {
                escapeCheck: for (let j = i2 + 1; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      i2 = j;
                      continue instructionCheck;
                    default:
                      break escapeCheck;
                  }
                }
                escapedInstruction = false;
              }
              if (instructionEnd2 === -1) {
                instructionEnd2 = i2;
              }
              i2 = this.processArguments(dockerfile, instruction, instructionEnd2, start, i2);
              dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd2, i2));
              return i2;
            case "\r":
            case "\n":
              if (escapedInstruction) {
                continue;
              }
              if (instructionEnd2 === -1) {
                instructionEnd2 = i2;
              }
              dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, i2, i2));
              return i2;
            case "#":
              if (escapedInstruction) {
                continue;
              }
            default:
              instructionEnd2 = i2 + 1;
              instruction = instruction + char;
              escapedInstruction = false;
              break;
          }
        }
        if (instructionEnd2 === -1) {
          instructionEnd2 = this.buffer.length;
        }
        dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, instructionEnd2, this.buffer.length));
        return this.buffer.length;
      }
      processHeredocs(instruction, offset) {
        let keyword = instruction.getKeyword();
        if (keyword === main_1.Keyword.ONBUILD) {
          instruction = instruction.getTriggerInstruction();
          if (instruction === null) {
            return offset;
          }
          keyword = instruction.getKeyword();
        }
        if (keyword !== main_1.Keyword.ADD && keyword !== main_1.Keyword.COPY && keyword !== main_1.Keyword.RUN) {
          return offset;
        }
        const heredocs = [];
        let tabbed = false;
        for (const arg of instruction.getArguments()) {
          const value = arg.getValue();
          if (value.startsWith("<<") && value.length > 2) {
            if (value.startsWith("<<-")) {
              tabbed = true;
            }
            const name = util_1.Util.parseHeredocName(value);
            if (name !== null) {
              heredocs.push(name);
            }
          }
        }
        if (heredocs.length > 0) {
          for (const heredoc of heredocs) {
            offset = this.parseHeredoc(heredoc, offset, tabbed);
          }
        }
        return offset;
      }
      processArguments(dockerfile, instruction, instructionEnd2, start, offset) {
        let escaped = false;
        argumentsCheck: for (let i2 = offset + 1; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case "\r":
            case "\n":
              if (escaped) {
                continue;
              }
              return this.processHeredocs(this.createInstruction(dockerfile, instruction, start, instructionEnd2, i2), i2);
            case this.escapeChar:
              const next = this.buffer.charAt(i2 + 1);
              if (next === "\n" || next === "\r") {
                escaped = true;
                i2++;
              } else if (next === " " || next === "	") {
                for (let j = i2 + 2; j < this.buffer.length; j++) {
                  switch (this.buffer.charAt(j)) {
                    case " ":
                    case "	":
                      break;
                    case "\r":
                    case "\n":
                      escaped = true;
                    default:
                      i2 = j;
                      continue argumentsCheck;
                  }
                }
                return this.buffer.length;
              }
              continue;
            case "#":
              if (escaped) {
                i2 = this.processComment(dockerfile, i2);
                continue argumentsCheck;
              }
              break;
            case " ":
            case "	":
              break;
            default:
              if (escaped) {
                escaped = false;
              }
              break;
          }
        }
        return this.buffer.length;
      }
      processComment(dockerfile, start) {
        let end = this.buffer.length;
        commentLoop: for (let i2 = start + 1; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case "\r":
            case "\n":
              end = i2;
              break commentLoop;
          }
        }
        const range = vscode_languageserver_types_1.Range.create(this.document.positionAt(start), this.document.positionAt(end));
        dockerfile.addComment(new comment_1.Comment(this.document, range));
        return end;
      }
      parseHeredoc(heredocName, offset, tabbed) {
        let startWord = -1;
        let lineStart = true;
        for (let i2 = offset; i2 < this.buffer.length; i2++) {
          switch (this.buffer.charAt(i2)) {
            case " ":
              lineStart = false;
              break;
            case "	":
              if (!tabbed) {
                lineStart = false;
              }
              break;
            case "\r":
            case "\n":
              if (startWord !== -1 && heredocName === this.buffer.substring(startWord, i2)) {
                return i2;
              }
              startWord = -1;
              lineStart = true;
              break;
            default:
              if (lineStart) {
                startWord = i2;
                lineStart = false;
              }
              break;
          }
        }
        return this.buffer.length;
      }
      createInstruction(dockerfile, instruction, start, instructionEnd2, end) {
        const startPosition = this.document.positionAt(start);
        const instructionRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(instructionEnd2));
        const lineRange = vscode_languageserver_types_1.Range.create(startPosition, this.document.positionAt(end));
        return _Parser.createInstruction(this.document, dockerfile, this.escapeChar, lineRange, instruction, instructionRange);
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/dockerfile-ast/lib/main.js
var require_main = __commonJS({
  "node_modules/dockerfile-ast/lib/main.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DockerfileParser = exports.DefaultVariables = exports.Directive = exports.Keyword = exports.Workdir = exports.Volume = exports.User = exports.Stopsignal = exports.Shell = exports.Run = exports.PropertyInstruction = exports.Onbuild = exports.ModifiableInstruction = exports.Label = exports.JSONInstruction = exports.Heredoc = exports.Healthcheck = exports.From = exports.Env = exports.Entrypoint = exports.Copy = exports.Cmd = exports.Arg = exports.Add = exports.Variable = exports.Property = exports.ParserDirective = exports.Line = exports.Instruction = exports.Flag = exports.Comment = exports.JSONArgument = exports.Argument = void 0;
    var argument_1 = require_argument();
    Object.defineProperty(exports, "Argument", { enumerable: true, get: function() {
      return argument_1.Argument;
    } });
    var jsonArgument_1 = require_jsonArgument();
    Object.defineProperty(exports, "JSONArgument", { enumerable: true, get: function() {
      return jsonArgument_1.JSONArgument;
    } });
    var comment_1 = require_comment();
    Object.defineProperty(exports, "Comment", { enumerable: true, get: function() {
      return comment_1.Comment;
    } });
    var parser_1 = require_parser();
    var flag_1 = require_flag();
    Object.defineProperty(exports, "Flag", { enumerable: true, get: function() {
      return flag_1.Flag;
    } });
    var instruction_1 = require_instruction();
    Object.defineProperty(exports, "Instruction", { enumerable: true, get: function() {
      return instruction_1.Instruction;
    } });
    var line_1 = require_line();
    Object.defineProperty(exports, "Line", { enumerable: true, get: function() {
      return line_1.Line;
    } });
    var parserDirective_1 = require_parserDirective();
    Object.defineProperty(exports, "ParserDirective", { enumerable: true, get: function() {
      return parserDirective_1.ParserDirective;
    } });
    var property_1 = require_property();
    Object.defineProperty(exports, "Property", { enumerable: true, get: function() {
      return property_1.Property;
    } });
    var variable_1 = require_variable();
    Object.defineProperty(exports, "Variable", { enumerable: true, get: function() {
      return variable_1.Variable;
    } });
    var add_1 = require_add();
    Object.defineProperty(exports, "Add", { enumerable: true, get: function() {
      return add_1.Add;
    } });
    var arg_1 = require_arg();
    Object.defineProperty(exports, "Arg", { enumerable: true, get: function() {
      return arg_1.Arg;
    } });
    var cmd_1 = require_cmd();
    Object.defineProperty(exports, "Cmd", { enumerable: true, get: function() {
      return cmd_1.Cmd;
    } });
    var copy_1 = require_copy();
    Object.defineProperty(exports, "Copy", { enumerable: true, get: function() {
      return copy_1.Copy;
    } });
    var entrypoint_1 = require_entrypoint();
    Object.defineProperty(exports, "Entrypoint", { enumerable: true, get: function() {
      return entrypoint_1.Entrypoint;
    } });
    var env_1 = require_env();
    Object.defineProperty(exports, "Env", { enumerable: true, get: function() {
      return env_1.Env;
    } });
    var from_1 = require_from();
    Object.defineProperty(exports, "From", { enumerable: true, get: function() {
      return from_1.From;
    } });
    var healthcheck_1 = require_healthcheck();
    Object.defineProperty(exports, "Healthcheck", { enumerable: true, get: function() {
      return healthcheck_1.Healthcheck;
    } });
    var heredoc_1 = require_heredoc();
    Object.defineProperty(exports, "Heredoc", { enumerable: true, get: function() {
      return heredoc_1.Heredoc;
    } });
    var jsonInstruction_1 = require_jsonInstruction();
    Object.defineProperty(exports, "JSONInstruction", { enumerable: true, get: function() {
      return jsonInstruction_1.JSONInstruction;
    } });
    var label_1 = require_label();
    Object.defineProperty(exports, "Label", { enumerable: true, get: function() {
      return label_1.Label;
    } });
    var modifiableInstruction_1 = require_modifiableInstruction();
    Object.defineProperty(exports, "ModifiableInstruction", { enumerable: true, get: function() {
      return modifiableInstruction_1.ModifiableInstruction;
    } });
    var onbuild_1 = require_onbuild();
    Object.defineProperty(exports, "Onbuild", { enumerable: true, get: function() {
      return onbuild_1.Onbuild;
    } });
    var propertyInstruction_1 = require_propertyInstruction();
    Object.defineProperty(exports, "PropertyInstruction", { enumerable: true, get: function() {
      return propertyInstruction_1.PropertyInstruction;
    } });
    var run_1 = require_run();
    Object.defineProperty(exports, "Run", { enumerable: true, get: function() {
      return run_1.Run;
    } });
    var shell_1 = require_shell();
    Object.defineProperty(exports, "Shell", { enumerable: true, get: function() {
      return shell_1.Shell;
    } });
    var stopsignal_1 = require_stopsignal();
    Object.defineProperty(exports, "Stopsignal", { enumerable: true, get: function() {
      return stopsignal_1.Stopsignal;
    } });
    var user_1 = require_user();
    Object.defineProperty(exports, "User", { enumerable: true, get: function() {
      return user_1.User;
    } });
    var volume_1 = require_volume();
    Object.defineProperty(exports, "Volume", { enumerable: true, get: function() {
      return volume_1.Volume;
    } });
    var workdir_1 = require_workdir();
    Object.defineProperty(exports, "Workdir", { enumerable: true, get: function() {
      return workdir_1.Workdir;
    } });
    var Keyword;
    (function(Keyword2) {
      Keyword2["ADD"] = "ADD";
      Keyword2["ARG"] = "ARG";
      Keyword2["CMD"] = "CMD";
      Keyword2["COPY"] = "COPY";
      Keyword2["ENTRYPOINT"] = "ENTRYPOINT";
      Keyword2["ENV"] = "ENV";
      Keyword2["EXPOSE"] = "EXPOSE";
      Keyword2["FROM"] = "FROM";
      Keyword2["HEALTHCHECK"] = "HEALTHCHECK";
      Keyword2["LABEL"] = "LABEL";
      Keyword2["MAINTAINER"] = "MAINTAINER";
      Keyword2["ONBUILD"] = "ONBUILD";
      Keyword2["RUN"] = "RUN";
      Keyword2["SHELL"] = "SHELL";
      Keyword2["STOPSIGNAL"] = "STOPSIGNAL";
      Keyword2["USER"] = "USER";
      Keyword2["VOLUME"] = "VOLUME";
      Keyword2["WORKDIR"] = "WORKDIR";
    })(Keyword || (exports.Keyword = Keyword = {}));
    var Directive;
    (function(Directive2) {
      Directive2["escape"] = "escape";
      Directive2["syntax"] = "syntax";
    })(Directive || (exports.Directive = Directive = {}));
    exports.DefaultVariables = [
      "ALL_PROXY",
      "all_proxy",
      "FTP_PROXY",
      "ftp_proxy",
      "HTTP_PROXY",
      "http_proxy",
      "HTTPS_PROXY",
      "https_proxy",
      "NO_PROXY",
      "no_proxy"
    ];
    var DockerfileParser2;
    (function(DockerfileParser3) {
      function parse(content) {
        let parser = new parser_1.Parser();
        return parser.parse(content);
      }
      DockerfileParser3.parse = parse;
    })(DockerfileParser2 || (exports.DockerfileParser = DockerfileParser2 = {}));
  }
});

// node_modules/js-yaml/dist/js-yaml.mjs
function isNothing(subject) {
  return typeof subject === "undefined" || subject === null;
}
function isObject(subject) {
  return typeof subject === "object" && subject !== null;
}
function toArray(sequence) {
  if (Array.isArray(sequence)) return sequence;
  else if (isNothing(sequence)) return [];
  return [sequence];
}
function extend(target, source) {
  var index, length, key, sourceKeys;
  if (source) {
    sourceKeys = Object.keys(source);
    for (index = 0, length = sourceKeys.length; index < length; index += 1) {
      key = sourceKeys[index];
      target[key] = source[key];
    }
  }
  return target;
}
function repeat(string, count) {
  var result = "", cycle;
  for (cycle = 0; cycle < count; cycle += 1) {
    result += string;
  }
  return result;
}
function isNegativeZero(number) {
  return number === 0 && Number.NEGATIVE_INFINITY === 1 / number;
}
var isNothing_1 = isNothing;
var isObject_1 = isObject;
var toArray_1 = toArray;
var repeat_1 = repeat;
var isNegativeZero_1 = isNegativeZero;
var extend_1 = extend;
var common = {
  isNothing: isNothing_1,
  isObject: isObject_1,
  toArray: toArray_1,
  repeat: repeat_1,
  isNegativeZero: isNegativeZero_1,
  extend: extend_1
};
function formatError(exception2, compact) {
  var where = "", message = exception2.reason || "(unknown reason)";
  if (!exception2.mark) return message;
  if (exception2.mark.name) {
    where += 'in "' + exception2.mark.name + '" ';
  }
  where += "(" + (exception2.mark.line + 1) + ":" + (exception2.mark.column + 1) + ")";
  if (!compact && exception2.mark.snippet) {
    where += "\n\n" + exception2.mark.snippet;
  }
  return message + " " + where;
}
function YAMLException$1(reason, mark) {
  Error.call(this);
  this.name = "YAMLException";
  this.reason = reason;
  this.mark = mark;
  this.message = formatError(this, false);
  if (Error.captureStackTrace) {
    Error.captureStackTrace(this, this.constructor);
  } else {
    this.stack = new Error().stack || "";
  }
}
YAMLException$1.prototype = Object.create(Error.prototype);
YAMLException$1.prototype.constructor = YAMLException$1;
YAMLException$1.prototype.toString = function toString(compact) {
  return this.name + ": " + formatError(this, compact);
};
var exception = YAMLException$1;
function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
  var head = "";
  var tail = "";
  var maxHalfLength = Math.floor(maxLineLength / 2) - 1;
  if (position - lineStart > maxHalfLength) {
    head = " ... ";
    lineStart = position - maxHalfLength + head.length;
  }
  if (lineEnd - position > maxHalfLength) {
    tail = " ...";
    lineEnd = position + maxHalfLength - tail.length;
  }
  return {
    str: head + buffer.slice(lineStart, lineEnd).replace(/\t/g, "\u2192") + tail,
    pos: position - lineStart + head.length
    // relative position
  };
}
function padStart(string, max) {
  return common.repeat(" ", max - string.length) + string;
}
function makeSnippet(mark, options) {
  options = Object.create(options || null);
  if (!mark.buffer) return null;
  if (!options.maxLength) options.maxLength = 79;
  if (typeof options.indent !== "number") options.indent = 1;
  if (typeof options.linesBefore !== "number") options.linesBefore = 3;
  if (typeof options.linesAfter !== "number") options.linesAfter = 2;
  var re = /\r?\n|\r|\0/g;
  var lineStarts = [0];
  var lineEnds = [];
  var match;
  var foundLineNo = -1;
  while (match = re.exec(mark.buffer)) {
    lineEnds.push(match.index);
    lineStarts.push(match.index + match[0].length);
    if (mark.position <= match.index && foundLineNo < 0) {
      foundLineNo = lineStarts.length - 2;
    }
  }
  if (foundLineNo < 0) foundLineNo = lineStarts.length - 1;
  var result = "", i2, line;
  var lineNoLength = Math.min(mark.line + options.linesAfter, lineEnds.length).toString().length;
  var maxLineLength = options.maxLength - (options.indent + lineNoLength + 3);
  for (i2 = 1; i2 <= options.linesBefore; i2++) {
    if (foundLineNo - i2 < 0) break;
    line = getLine(
      mark.buffer,
      lineStarts[foundLineNo - i2],
      lineEnds[foundLineNo - i2],
      mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo - i2]),
      maxLineLength
    );
    result = common.repeat(" ", options.indent) + padStart((mark.line - i2 + 1).toString(), lineNoLength) + " | " + line.str + "\n" + result;
  }
  line = getLine(mark.buffer, lineStarts[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
  result += common.repeat(" ", options.indent) + padStart((mark.line + 1).toString(), lineNoLength) + " | " + line.str + "\n";
  result += common.repeat("-", options.indent + lineNoLength + 3 + line.pos) + "^\n";
  for (i2 = 1; i2 <= options.linesAfter; i2++) {
    if (foundLineNo + i2 >= lineEnds.length) break;
    line = getLine(
      mark.buffer,
      lineStarts[foundLineNo + i2],
      lineEnds[foundLineNo + i2],
      mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo + i2]),
      maxLineLength
    );
    result += common.repeat(" ", options.indent) + padStart((mark.line + i2 + 1).toString(), lineNoLength) + " | " + line.str + "\n";
  }
  return result.replace(/\n$/, "");
}
var snippet = makeSnippet;
var TYPE_CONSTRUCTOR_OPTIONS = [
  "kind",
  "multi",
  "resolve",
  "construct",
  "instanceOf",
  "predicate",
  "represent",
  "representName",
  "defaultStyle",
  "styleAliases"
];
var YAML_NODE_KINDS = [
  "scalar",
  "sequence",
  "mapping"
];
function compileStyleAliases(map2) {
  var result = {};
  if (map2 !== null) {
    Object.keys(map2).forEach(function(style) {
      map2[style].forEach(function(alias) {
        result[String(alias)] = style;
      });
    });
  }
  return result;
}
function Type$1(tag, options) {
  options = options || {};
  Object.keys(options).forEach(function(name) {
    if (TYPE_CONSTRUCTOR_OPTIONS.indexOf(name) === -1) {
      throw new exception('Unknown option "' + name + '" is met in definition of "' + tag + '" YAML type.');
    }
  });
  this.options = options;
  this.tag = tag;
  this.kind = options["kind"] || null;
  this.resolve = options["resolve"] || function() {
    return true;
  };
  this.construct = options["construct"] || function(data) {
    return data;
  };
  this.instanceOf = options["instanceOf"] || null;
  this.predicate = options["predicate"] || null;
  this.represent = options["represent"] || null;
  this.representName = options["representName"] || null;
  this.defaultStyle = options["defaultStyle"] || null;
  this.multi = options["multi"] || false;
  this.styleAliases = compileStyleAliases(options["styleAliases"] || null);
  if (YAML_NODE_KINDS.indexOf(this.kind) === -1) {
    throw new exception('Unknown kind "' + this.kind + '" is specified for "' + tag + '" YAML type.');
  }
}
var type = Type$1;
function compileList(schema2, name) {
  var result = [];
  schema2[name].forEach(function(currentType) {
    var newIndex = result.length;
    result.forEach(function(previousType, previousIndex) {
      if (previousType.tag === currentType.tag && previousType.kind === currentType.kind && previousType.multi === currentType.multi) {
        newIndex = previousIndex;
      }
    });
    result[newIndex] = currentType;
  });
  return result;
}
function compileMap() {
  var result = {
    scalar: {},
    sequence: {},
    mapping: {},
    fallback: {},
    multi: {
      scalar: [],
      sequence: [],
      mapping: [],
      fallback: []
    }
  }, index, length;
  function collectType(type2) {
    if (type2.multi) {
      result.multi[type2.kind].push(type2);
      result.multi["fallback"].push(type2);
    } else {
      result[type2.kind][type2.tag] = result["fallback"][type2.tag] = type2;
    }
  }
  for (index = 0, length = arguments.length; index < length; index += 1) {
    arguments[index].forEach(collectType);
  }
  return result;
}
function Schema$1(definition) {
  return this.extend(definition);
}
Schema$1.prototype.extend = function extend2(definition) {
  var implicit = [];
  var explicit = [];
  if (definition instanceof type) {
    explicit.push(definition);
  } else if (Array.isArray(definition)) {
    explicit = explicit.concat(definition);
  } else if (definition && (Array.isArray(definition.implicit) || Array.isArray(definition.explicit))) {
    if (definition.implicit) implicit = implicit.concat(definition.implicit);
    if (definition.explicit) explicit = explicit.concat(definition.explicit);
  } else {
    throw new exception("Schema.extend argument should be a Type, [ Type ], or a schema definition ({ implicit: [...], explicit: [...] })");
  }
  implicit.forEach(function(type$1) {
    if (!(type$1 instanceof type)) {
      throw new exception("Specified list of YAML types (or a single Type object) contains a non-Type object.");
    }
    if (type$1.loadKind && type$1.loadKind !== "scalar") {
      throw new exception("There is a non-scalar type in the implicit list of a schema. Implicit resolving of such types is not supported.");
    }
    if (type$1.multi) {
      throw new exception("There is a multi type in the implicit list of a schema. Multi tags can only be listed as explicit.");
    }
  });
  explicit.forEach(function(type$1) {
    if (!(type$1 instanceof type)) {
      throw new exception("Specified list of YAML types (or a single Type object) contains a non-Type object.");
    }
  });
  var result = Object.create(Schema$1.prototype);
  result.implicit = (this.implicit || []).concat(implicit);
  result.explicit = (this.explicit || []).concat(explicit);
  result.compiledImplicit = compileList(result, "implicit");
  result.compiledExplicit = compileList(result, "explicit");
  result.compiledTypeMap = compileMap(result.compiledImplicit, result.compiledExplicit);
  return result;
};
var schema = Schema$1;
var str = new type("tag:yaml.org,2002:str", {
  kind: "scalar",
  construct: function(data) {
    return data !== null ? data : "";
  }
});
var seq = new type("tag:yaml.org,2002:seq", {
  kind: "sequence",
  construct: function(data) {
    return data !== null ? data : [];
  }
});
var map = new type("tag:yaml.org,2002:map", {
  kind: "mapping",
  construct: function(data) {
    return data !== null ? data : {};
  }
});
var failsafe = new schema({
  explicit: [
    str,
    seq,
    map
  ]
});
function resolveYamlNull(data) {
  if (data === null) return true;
  var max = data.length;
  return max === 1 && data === "~" || max === 4 && (data === "null" || data === "Null" || data === "NULL");
}
function constructYamlNull() {
  return null;
}
function isNull(object) {
  return object === null;
}
var _null = new type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: resolveYamlNull,
  construct: constructYamlNull,
  predicate: isNull,
  represent: {
    canonical: function() {
      return "~";
    },
    lowercase: function() {
      return "null";
    },
    uppercase: function() {
      return "NULL";
    },
    camelcase: function() {
      return "Null";
    },
    empty: function() {
      return "";
    }
  },
  defaultStyle: "lowercase"
});
function resolveYamlBoolean(data) {
  if (data === null) return false;
  var max = data.length;
  return max === 4 && (data === "true" || data === "True" || data === "TRUE") || max === 5 && (data === "false" || data === "False" || data === "FALSE");
}
function constructYamlBoolean(data) {
  return data === "true" || data === "True" || data === "TRUE";
}
function isBoolean(object) {
  return Object.prototype.toString.call(object) === "[object Boolean]";
}
var bool = new type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: resolveYamlBoolean,
  construct: constructYamlBoolean,
  predicate: isBoolean,
  represent: {
    lowercase: function(object) {
      return object ? "true" : "false";
    },
    uppercase: function(object) {
      return object ? "TRUE" : "FALSE";
    },
    camelcase: function(object) {
      return object ? "True" : "False";
    }
  },
  defaultStyle: "lowercase"
});
function isHexCode(c) {
  return 48 <= c && c <= 57 || 65 <= c && c <= 70 || 97 <= c && c <= 102;
}
function isOctCode(c) {
  return 48 <= c && c <= 55;
}
function isDecCode(c) {
  return 48 <= c && c <= 57;
}
function resolveYamlInteger(data) {
  if (data === null) return false;
  var max = data.length, index = 0, hasDigits = false, ch;
  if (!max) return false;
  ch = data[index];
  if (ch === "-" || ch === "+") {
    ch = data[++index];
  }
  if (ch === "0") {
    if (index + 1 === max) return true;
    ch = data[++index];
    if (ch === "b") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (ch !== "0" && ch !== "1") return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
    if (ch === "x") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (!isHexCode(data.charCodeAt(index))) return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
    if (ch === "o") {
      index++;
      for (; index < max; index++) {
        ch = data[index];
        if (ch === "_") continue;
        if (!isOctCode(data.charCodeAt(index))) return false;
        hasDigits = true;
      }
      return hasDigits && ch !== "_";
    }
  }
  if (ch === "_") return false;
  for (; index < max; index++) {
    ch = data[index];
    if (ch === "_") continue;
    if (!isDecCode(data.charCodeAt(index))) {
      return false;
    }
    hasDigits = true;
  }
  if (!hasDigits || ch === "_") return false;
  return true;
}
function constructYamlInteger(data) {
  var value = data, sign = 1, ch;
  if (value.indexOf("_") !== -1) {
    value = value.replace(/_/g, "");
  }
  ch = value[0];
  if (ch === "-" || ch === "+") {
    if (ch === "-") sign = -1;
    value = value.slice(1);
    ch = value[0];
  }
  if (value === "0") return 0;
  if (ch === "0") {
    if (value[1] === "b") return sign * parseInt(value.slice(2), 2);
    if (value[1] === "x") return sign * parseInt(value.slice(2), 16);
    if (value[1] === "o") return sign * parseInt(value.slice(2), 8);
  }
  return sign * parseInt(value, 10);
}
function isInteger(object) {
  return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 === 0 && !common.isNegativeZero(object));
}
var int = new type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: resolveYamlInteger,
  construct: constructYamlInteger,
  predicate: isInteger,
  represent: {
    binary: function(obj) {
      return obj >= 0 ? "0b" + obj.toString(2) : "-0b" + obj.toString(2).slice(1);
    },
    octal: function(obj) {
      return obj >= 0 ? "0o" + obj.toString(8) : "-0o" + obj.toString(8).slice(1);
    },
    decimal: function(obj) {
      return obj.toString(10);
    },
    /* eslint-disable max-len */
    hexadecimal: function(obj) {
      return obj >= 0 ? "0x" + obj.toString(16).toUpperCase() : "-0x" + obj.toString(16).toUpperCase().slice(1);
    }
  },
  defaultStyle: "decimal",
  styleAliases: {
    binary: [2, "bin"],
    octal: [8, "oct"],
    decimal: [10, "dec"],
    hexadecimal: [16, "hex"]
  }
});
var YAML_FLOAT_PATTERN = new RegExp(
  // 2.5e4, 2.5 and integers
  "^(?:[-+]?(?:[0-9][0-9_]*)(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
);
function resolveYamlFloat(data) {
  if (data === null) return false;
  if (!YAML_FLOAT_PATTERN.test(data) || // Quick hack to not allow integers end with `_`
  // Probably should update regexp & check speed
  data[data.length - 1] === "_") {
    return false;
  }
  return true;
}
function constructYamlFloat(data) {
  var value, sign;
  value = data.replace(/_/g, "").toLowerCase();
  sign = value[0] === "-" ? -1 : 1;
  if ("+-".indexOf(value[0]) >= 0) {
    value = value.slice(1);
  }
  if (value === ".inf") {
    return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  } else if (value === ".nan") {
    return NaN;
  }
  return sign * parseFloat(value, 10);
}
var SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;
function representYamlFloat(object, style) {
  var res;
  if (isNaN(object)) {
    switch (style) {
      case "lowercase":
        return ".nan";
      case "uppercase":
        return ".NAN";
      case "camelcase":
        return ".NaN";
    }
  } else if (Number.POSITIVE_INFINITY === object) {
    switch (style) {
      case "lowercase":
        return ".inf";
      case "uppercase":
        return ".INF";
      case "camelcase":
        return ".Inf";
    }
  } else if (Number.NEGATIVE_INFINITY === object) {
    switch (style) {
      case "lowercase":
        return "-.inf";
      case "uppercase":
        return "-.INF";
      case "camelcase":
        return "-.Inf";
    }
  } else if (common.isNegativeZero(object)) {
    return "-0.0";
  }
  res = object.toString(10);
  return SCIENTIFIC_WITHOUT_DOT.test(res) ? res.replace("e", ".e") : res;
}
function isFloat(object) {
  return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 !== 0 || common.isNegativeZero(object));
}
var float = new type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: resolveYamlFloat,
  construct: constructYamlFloat,
  predicate: isFloat,
  represent: representYamlFloat,
  defaultStyle: "lowercase"
});
var json = failsafe.extend({
  implicit: [
    _null,
    bool,
    int,
    float
  ]
});
var core = json;
var YAML_DATE_REGEXP = new RegExp(
  "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$"
);
var YAML_TIMESTAMP_REGEXP = new RegExp(
  "^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$"
);
function resolveYamlTimestamp(data) {
  if (data === null) return false;
  if (YAML_DATE_REGEXP.exec(data) !== null) return true;
  if (YAML_TIMESTAMP_REGEXP.exec(data) !== null) return true;
  return false;
}
function constructYamlTimestamp(data) {
  var match, year, month, day, hour, minute, second, fraction = 0, delta = null, tz_hour, tz_minute, date;
  match = YAML_DATE_REGEXP.exec(data);
  if (match === null) match = YAML_TIMESTAMP_REGEXP.exec(data);
  if (match === null) throw new Error("Date resolve error");
  year = +match[1];
  month = +match[2] - 1;
  day = +match[3];
  if (!match[4]) {
    return new Date(Date.UTC(year, month, day));
  }
  hour = +match[4];
  minute = +match[5];
  second = +match[6];
  if (match[7]) {
    fraction = match[7].slice(0, 3);
    while (fraction.length < 3) {
      fraction += "0";
    }
    fraction = +fraction;
  }
  if (match[9]) {
    tz_hour = +match[10];
    tz_minute = +(match[11] || 0);
    delta = (tz_hour * 60 + tz_minute) * 6e4;
    if (match[9] === "-") delta = -delta;
  }
  date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
  if (delta) date.setTime(date.getTime() - delta);
  return date;
}
function representYamlTimestamp(object) {
  return object.toISOString();
}
var timestamp = new type("tag:yaml.org,2002:timestamp", {
  kind: "scalar",
  resolve: resolveYamlTimestamp,
  construct: constructYamlTimestamp,
  instanceOf: Date,
  represent: representYamlTimestamp
});
function resolveYamlMerge(data) {
  return data === "<<" || data === null;
}
var merge = new type("tag:yaml.org,2002:merge", {
  kind: "scalar",
  resolve: resolveYamlMerge
});
var BASE64_MAP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r";
function resolveYamlBinary(data) {
  if (data === null) return false;
  var code, idx, bitlen = 0, max = data.length, map2 = BASE64_MAP;
  for (idx = 0; idx < max; idx++) {
    code = map2.indexOf(data.charAt(idx));
    if (code > 64) continue;
    if (code < 0) return false;
    bitlen += 6;
  }
  return bitlen % 8 === 0;
}
function constructYamlBinary(data) {
  var idx, tailbits, input = data.replace(/[\r\n=]/g, ""), max = input.length, map2 = BASE64_MAP, bits = 0, result = [];
  for (idx = 0; idx < max; idx++) {
    if (idx % 4 === 0 && idx) {
      result.push(bits >> 16 & 255);
      result.push(bits >> 8 & 255);
      result.push(bits & 255);
    }
    bits = bits << 6 | map2.indexOf(input.charAt(idx));
  }
  tailbits = max % 4 * 6;
  if (tailbits === 0) {
    result.push(bits >> 16 & 255);
    result.push(bits >> 8 & 255);
    result.push(bits & 255);
  } else if (tailbits === 18) {
    result.push(bits >> 10 & 255);
    result.push(bits >> 2 & 255);
  } else if (tailbits === 12) {
    result.push(bits >> 4 & 255);
  }
  return new Uint8Array(result);
}
function representYamlBinary(object) {
  var result = "", bits = 0, idx, tail, max = object.length, map2 = BASE64_MAP;
  for (idx = 0; idx < max; idx++) {
    if (idx % 3 === 0 && idx) {
      result += map2[bits >> 18 & 63];
      result += map2[bits >> 12 & 63];
      result += map2[bits >> 6 & 63];
      result += map2[bits & 63];
    }
    bits = (bits << 8) + object[idx];
  }
  tail = max % 3;
  if (tail === 0) {
    result += map2[bits >> 18 & 63];
    result += map2[bits >> 12 & 63];
    result += map2[bits >> 6 & 63];
    result += map2[bits & 63];
  } else if (tail === 2) {
    result += map2[bits >> 10 & 63];
    result += map2[bits >> 4 & 63];
    result += map2[bits << 2 & 63];
    result += map2[64];
  } else if (tail === 1) {
    result += map2[bits >> 2 & 63];
    result += map2[bits << 4 & 63];
    result += map2[64];
    result += map2[64];
  }
  return result;
}
function isBinary(obj) {
  return Object.prototype.toString.call(obj) === "[object Uint8Array]";
}
var binary = new type("tag:yaml.org,2002:binary", {
  kind: "scalar",
  resolve: resolveYamlBinary,
  construct: constructYamlBinary,
  predicate: isBinary,
  represent: representYamlBinary
});
var _hasOwnProperty$3 = Object.prototype.hasOwnProperty;
var _toString$2 = Object.prototype.toString;
function resolveYamlOmap(data) {
  if (data === null) return true;
  var objectKeys = [], index, length, pair, pairKey, pairHasKey, object = data;
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    pairHasKey = false;
    if (_toString$2.call(pair) !== "[object Object]") return false;
    for (pairKey in pair) {
      if (_hasOwnProperty$3.call(pair, pairKey)) {
        if (!pairHasKey) pairHasKey = true;
        else return false;
      }
    }
    if (!pairHasKey) return false;
    if (objectKeys.indexOf(pairKey) === -1) objectKeys.push(pairKey);
    else return false;
  }
  return true;
}
function constructYamlOmap(data) {
  return data !== null ? data : [];
}
var omap = new type("tag:yaml.org,2002:omap", {
  kind: "sequence",
  resolve: resolveYamlOmap,
  construct: constructYamlOmap
});
var _toString$1 = Object.prototype.toString;
function resolveYamlPairs(data) {
  if (data === null) return true;
  var index, length, pair, keys, result, object = data;
  result = new Array(object.length);
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    if (_toString$1.call(pair) !== "[object Object]") return false;
    keys = Object.keys(pair);
    if (keys.length !== 1) return false;
    result[index] = [keys[0], pair[keys[0]]];
  }
  return true;
}
function constructYamlPairs(data) {
  if (data === null) return [];
  var index, length, pair, keys, result, object = data;
  result = new Array(object.length);
  for (index = 0, length = object.length; index < length; index += 1) {
    pair = object[index];
    keys = Object.keys(pair);
    result[index] = [keys[0], pair[keys[0]]];
  }
  return result;
}
var pairs = new type("tag:yaml.org,2002:pairs", {
  kind: "sequence",
  resolve: resolveYamlPairs,
  construct: constructYamlPairs
});
var _hasOwnProperty$2 = Object.prototype.hasOwnProperty;
function resolveYamlSet(data) {
  if (data === null) return true;
  var key, object = data;
  for (key in object) {
    if (_hasOwnProperty$2.call(object, key)) {
      if (object[key] !== null) return false;
    }
  }
  return true;
}
function constructYamlSet(data) {
  return data !== null ? data : {};
}
var set = new type("tag:yaml.org,2002:set", {
  kind: "mapping",
  resolve: resolveYamlSet,
  construct: constructYamlSet
});
var _default = core.extend({
  implicit: [
    timestamp,
    merge
  ],
  explicit: [
    binary,
    omap,
    pairs,
    set
  ]
});
var _hasOwnProperty$1 = Object.prototype.hasOwnProperty;
var CONTEXT_FLOW_IN = 1;
var CONTEXT_FLOW_OUT = 2;
var CONTEXT_BLOCK_IN = 3;
var CONTEXT_BLOCK_OUT = 4;
var CHOMPING_CLIP = 1;
var CHOMPING_STRIP = 2;
var CHOMPING_KEEP = 3;
var PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
var PATTERN_NON_ASCII_LINE_BREAKS = /[\x85\u2028\u2029]/;
var PATTERN_FLOW_INDICATORS = /[,\[\]\{\}]/;
var PATTERN_TAG_HANDLE = /^(?:!|!!|![a-z\-]+!)$/i;
var PATTERN_TAG_URI = /^(?:!|[^,\[\]\{\}])(?:%[0-9a-f]{2}|[0-9a-z\-#;\/\?:@&=\+\$,_\.!~\*'\(\)\[\]])*$/i;
function _class(obj) {
  return Object.prototype.toString.call(obj);
}
function is_EOL(c) {
  return c === 10 || c === 13;
}
function is_WHITE_SPACE(c) {
  return c === 9 || c === 32;
}
function is_WS_OR_EOL(c) {
  return c === 9 || c === 32 || c === 10 || c === 13;
}
function is_FLOW_INDICATOR(c) {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
function fromHexCode(c) {
  var lc;
  if (48 <= c && c <= 57) {
    return c - 48;
  }
  lc = c | 32;
  if (97 <= lc && lc <= 102) {
    return lc - 97 + 10;
  }
  return -1;
}
function escapedHexLen(c) {
  if (c === 120) {
    return 2;
  }
  if (c === 117) {
    return 4;
  }
  if (c === 85) {
    return 8;
  }
  return 0;
}
function fromDecimalCode(c) {
  if (48 <= c && c <= 57) {
    return c - 48;
  }
  return -1;
}
function simpleEscapeSequence(c) {
  return c === 48 ? "\0" : c === 97 ? "\x07" : c === 98 ? "\b" : c === 116 ? "	" : c === 9 ? "	" : c === 110 ? "\n" : c === 118 ? "\v" : c === 102 ? "\f" : c === 114 ? "\r" : c === 101 ? "\x1B" : c === 32 ? " " : c === 34 ? '"' : c === 47 ? "/" : c === 92 ? "\\" : c === 78 ? "\x85" : c === 95 ? "\xA0" : c === 76 ? "\u2028" : c === 80 ? "\u2029" : "";
}
function charFromCodepoint(c) {
  if (c <= 65535) {
    return String.fromCharCode(c);
  }
  return String.fromCharCode(
    (c - 65536 >> 10) + 55296,
    (c - 65536 & 1023) + 56320
  );
}
var simpleEscapeCheck = new Array(256);
var simpleEscapeMap = new Array(256);
for (i = 0; i < 256; i++) {
  simpleEscapeCheck[i] = simpleEscapeSequence(i) ? 1 : 0;
  simpleEscapeMap[i] = simpleEscapeSequence(i);
}
var i;
function State$1(input, options) {
  this.input = input;
  this.filename = options["filename"] || null;
  this.schema = options["schema"] || _default;
  this.onWarning = options["onWarning"] || null;
  this.legacy = options["legacy"] || false;
  this.json = options["json"] || false;
  this.listener = options["listener"] || null;
  this.implicitTypes = this.schema.compiledImplicit;
  this.typeMap = this.schema.compiledTypeMap;
  this.length = input.length;
  this.position = 0;
  this.line = 0;
  this.lineStart = 0;
  this.lineIndent = 0;
  this.firstTabInLine = -1;
  this.documents = [];
}
function generateError(state, message) {
  var mark = {
    name: state.filename,
    buffer: state.input.slice(0, -1),
    // omit trailing \0
    position: state.position,
    line: state.line,
    column: state.position - state.lineStart
  };
  mark.snippet = snippet(mark);
  return new exception(message, mark);
}
function throwError(state, message) {
  throw generateError(state, message);
}
function throwWarning(state, message) {
  if (state.onWarning) {
    state.onWarning.call(null, generateError(state, message));
  }
}
var directiveHandlers = {
  YAML: function handleYamlDirective(state, name, args) {
    var match, major, minor;
    if (state.version !== null) {
      throwError(state, "duplication of %YAML directive");
    }
    if (args.length !== 1) {
      throwError(state, "YAML directive accepts exactly one argument");
    }
    match = /^([0-9]+)\.([0-9]+)$/.exec(args[0]);
    if (match === null) {
      throwError(state, "ill-formed argument of the YAML directive");
    }
    major = parseInt(match[1], 10);
    minor = parseInt(match[2], 10);
    if (major !== 1) {
      throwError(state, "unacceptable YAML version of the document");
    }
    state.version = args[0];
    state.checkLineBreaks = minor < 2;
    if (minor !== 1 && minor !== 2) {
      throwWarning(state, "unsupported YAML version of the document");
    }
  },
  TAG: function handleTagDirective(state, name, args) {
    var handle, prefix;
    if (args.length !== 2) {
      throwError(state, "TAG directive accepts exactly two arguments");
    }
    handle = args[0];
    prefix = args[1];
    if (!PATTERN_TAG_HANDLE.test(handle)) {
      throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
    }
    if (_hasOwnProperty$1.call(state.tagMap, handle)) {
      throwError(state, 'there is a previously declared suffix for "' + handle + '" tag handle');
    }
    if (!PATTERN_TAG_URI.test(prefix)) {
      throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
    }
    try {
      prefix = decodeURIComponent(prefix);
    } catch (err) {
      throwError(state, "tag prefix is malformed: " + prefix);
    }
    state.tagMap[handle] = prefix;
  }
};
function captureSegment(state, start, end, checkJson) {
  var _position, _length, _character, _result;
  if (start < end) {
    _result = state.input.slice(start, end);
    if (checkJson) {
      for (_position = 0, _length = _result.length; _position < _length; _position += 1) {
        _character = _result.charCodeAt(_position);
        if (!(_character === 9 || 32 <= _character && _character <= 1114111)) {
          throwError(state, "expected valid JSON character");
        }
      }
    } else if (PATTERN_NON_PRINTABLE.test(_result)) {
      throwError(state, "the stream contains non-printable characters");
    }
    state.result += _result;
  }
}
function mergeMappings(state, destination, source, overridableKeys) {
  var sourceKeys, key, index, quantity;
  if (!common.isObject(source)) {
    throwError(state, "cannot merge mappings; the provided source object is unacceptable");
  }
  sourceKeys = Object.keys(source);
  for (index = 0, quantity = sourceKeys.length; index < quantity; index += 1) {
    key = sourceKeys[index];
    if (!_hasOwnProperty$1.call(destination, key)) {
      destination[key] = source[key];
      overridableKeys[key] = true;
    }
  }
}
function storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, startLine, startLineStart, startPos) {
  var index, quantity;
  if (Array.isArray(keyNode)) {
    keyNode = Array.prototype.slice.call(keyNode);
    for (index = 0, quantity = keyNode.length; index < quantity; index += 1) {
      if (Array.isArray(keyNode[index])) {
        throwError(state, "nested arrays are not supported inside keys");
      }
      if (typeof keyNode === "object" && _class(keyNode[index]) === "[object Object]") {
        keyNode[index] = "[object Object]";
      }
    }
  }
  if (typeof keyNode === "object" && _class(keyNode) === "[object Object]") {
    keyNode = "[object Object]";
  }
  keyNode = String(keyNode);
  if (_result === null) {
    _result = {};
  }
  if (keyTag === "tag:yaml.org,2002:merge") {
    if (Array.isArray(valueNode)) {
      for (index = 0, quantity = valueNode.length; index < quantity; index += 1) {
        mergeMappings(state, _result, valueNode[index], overridableKeys);
      }
    } else {
      mergeMappings(state, _result, valueNode, overridableKeys);
    }
  } else {
    if (!state.json && !_hasOwnProperty$1.call(overridableKeys, keyNode) && _hasOwnProperty$1.call(_result, keyNode)) {
      state.line = startLine || state.line;
      state.lineStart = startLineStart || state.lineStart;
      state.position = startPos || state.position;
      throwError(state, "duplicated mapping key");
    }
    if (keyNode === "__proto__") {
      Object.defineProperty(_result, keyNode, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: valueNode
      });
    } else {
      _result[keyNode] = valueNode;
    }
    delete overridableKeys[keyNode];
  }
  return _result;
}
function readLineBreak(state) {
  var ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 10) {
    state.position++;
  } else if (ch === 13) {
    state.position++;
    if (state.input.charCodeAt(state.position) === 10) {
      state.position++;
    }
  } else {
    throwError(state, "a line break is expected");
  }
  state.line += 1;
  state.lineStart = state.position;
  state.firstTabInLine = -1;
}
function skipSeparationSpace(state, allowComments, checkIndent) {
  var lineBreaks = 0, ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    while (is_WHITE_SPACE(ch)) {
      if (ch === 9 && state.firstTabInLine === -1) {
        state.firstTabInLine = state.position;
      }
      ch = state.input.charCodeAt(++state.position);
    }
    if (allowComments && ch === 35) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (ch !== 10 && ch !== 13 && ch !== 0);
    }
    if (is_EOL(ch)) {
      readLineBreak(state);
      ch = state.input.charCodeAt(state.position);
      lineBreaks++;
      state.lineIndent = 0;
      while (ch === 32) {
        state.lineIndent++;
        ch = state.input.charCodeAt(++state.position);
      }
    } else {
      break;
    }
  }
  if (checkIndent !== -1 && lineBreaks !== 0 && state.lineIndent < checkIndent) {
    throwWarning(state, "deficient indentation");
  }
  return lineBreaks;
}
function testDocumentSeparator(state) {
  var _position = state.position, ch;
  ch = state.input.charCodeAt(_position);
  if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(_position + 1) && ch === state.input.charCodeAt(_position + 2)) {
    _position += 3;
    ch = state.input.charCodeAt(_position);
    if (ch === 0 || is_WS_OR_EOL(ch)) {
      return true;
    }
  }
  return false;
}
function writeFoldedLines(state, count) {
  if (count === 1) {
    state.result += " ";
  } else if (count > 1) {
    state.result += common.repeat("\n", count - 1);
  }
}
function readPlainScalar(state, nodeIndent, withinFlowCollection) {
  var preceding, following, captureStart, captureEnd, hasPendingContent, _line, _lineStart, _lineIndent, _kind = state.kind, _result = state.result, ch;
  ch = state.input.charCodeAt(state.position);
  if (is_WS_OR_EOL(ch) || is_FLOW_INDICATOR(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96) {
    return false;
  }
  if (ch === 63 || ch === 45) {
    following = state.input.charCodeAt(state.position + 1);
    if (is_WS_OR_EOL(following) || withinFlowCollection && is_FLOW_INDICATOR(following)) {
      return false;
    }
  }
  state.kind = "scalar";
  state.result = "";
  captureStart = captureEnd = state.position;
  hasPendingContent = false;
  while (ch !== 0) {
    if (ch === 58) {
      following = state.input.charCodeAt(state.position + 1);
      if (is_WS_OR_EOL(following) || withinFlowCollection && is_FLOW_INDICATOR(following)) {
        break;
      }
    } else if (ch === 35) {
      preceding = state.input.charCodeAt(state.position - 1);
      if (is_WS_OR_EOL(preceding)) {
        break;
      }
    } else if (state.position === state.lineStart && testDocumentSeparator(state) || withinFlowCollection && is_FLOW_INDICATOR(ch)) {
      break;
    } else if (is_EOL(ch)) {
      _line = state.line;
      _lineStart = state.lineStart;
      _lineIndent = state.lineIndent;
      skipSeparationSpace(state, false, -1);
      if (state.lineIndent >= nodeIndent) {
        hasPendingContent = true;
        ch = state.input.charCodeAt(state.position);
        continue;
      } else {
        state.position = captureEnd;
        state.line = _line;
        state.lineStart = _lineStart;
        state.lineIndent = _lineIndent;
        break;
      }
    }
    if (hasPendingContent) {
      captureSegment(state, captureStart, captureEnd, false);
      writeFoldedLines(state, state.line - _line);
      captureStart = captureEnd = state.position;
      hasPendingContent = false;
    }
    if (!is_WHITE_SPACE(ch)) {
      captureEnd = state.position + 1;
    }
    ch = state.input.charCodeAt(++state.position);
  }
  captureSegment(state, captureStart, captureEnd, false);
  if (state.result) {
    return true;
  }
  state.kind = _kind;
  state.result = _result;
  return false;
}
function readSingleQuotedScalar(state, nodeIndent) {
  var ch, captureStart, captureEnd;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 39) {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  state.position++;
  captureStart = captureEnd = state.position;
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    if (ch === 39) {
      captureSegment(state, captureStart, state.position, true);
      ch = state.input.charCodeAt(++state.position);
      if (ch === 39) {
        captureStart = state.position;
        state.position++;
        captureEnd = state.position;
      } else {
        return true;
      }
    } else if (is_EOL(ch)) {
      captureSegment(state, captureStart, captureEnd, true);
      writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
      captureStart = captureEnd = state.position;
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
      throwError(state, "unexpected end of the document within a single quoted scalar");
    } else {
      state.position++;
      captureEnd = state.position;
    }
  }
  throwError(state, "unexpected end of the stream within a single quoted scalar");
}
function readDoubleQuotedScalar(state, nodeIndent) {
  var captureStart, captureEnd, hexLength, hexResult, tmp, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 34) {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  state.position++;
  captureStart = captureEnd = state.position;
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    if (ch === 34) {
      captureSegment(state, captureStart, state.position, true);
      state.position++;
      return true;
    } else if (ch === 92) {
      captureSegment(state, captureStart, state.position, true);
      ch = state.input.charCodeAt(++state.position);
      if (is_EOL(ch)) {
        skipSeparationSpace(state, false, nodeIndent);
      } else if (ch < 256 && simpleEscapeCheck[ch]) {
        state.result += simpleEscapeMap[ch];
        state.position++;
      } else if ((tmp = escapedHexLen(ch)) > 0) {
        hexLength = tmp;
        hexResult = 0;
        for (; hexLength > 0; hexLength--) {
          ch = state.input.charCodeAt(++state.position);
          if ((tmp = fromHexCode(ch)) >= 0) {
            hexResult = (hexResult << 4) + tmp;
          } else {
            throwError(state, "expected hexadecimal character");
          }
        }
        state.result += charFromCodepoint(hexResult);
        state.position++;
      } else {
        throwError(state, "unknown escape sequence");
      }
      captureStart = captureEnd = state.position;
    } else if (is_EOL(ch)) {
      captureSegment(state, captureStart, captureEnd, true);
      writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
      captureStart = captureEnd = state.position;
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
      throwError(state, "unexpected end of the document within a double quoted scalar");
    } else {
      state.position++;
      captureEnd = state.position;
    }
  }
  throwError(state, "unexpected end of the stream within a double quoted scalar");
}
function readFlowCollection(state, nodeIndent) {
  var readNext = true, _line, _lineStart, _pos, _tag = state.tag, _result, _anchor = state.anchor, following, terminator, isPair, isExplicitPair, isMapping, overridableKeys = /* @__PURE__ */ Object.create(null), keyNode, keyTag, valueNode, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 91) {
    terminator = 93;
    isMapping = false;
    _result = [];
  } else if (ch === 123) {
    terminator = 125;
    isMapping = true;
    _result = {};
  } else {
    return false;
  }
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(++state.position);
  while (ch !== 0) {
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if (ch === terminator) {
      state.position++;
      state.tag = _tag;
      state.anchor = _anchor;
      state.kind = isMapping ? "mapping" : "sequence";
      state.result = _result;
      return true;
    } else if (!readNext) {
      throwError(state, "missed comma between flow collection entries");
    } else if (ch === 44) {
      throwError(state, "expected the node content, but found ','");
    }
    keyTag = keyNode = valueNode = null;
    isPair = isExplicitPair = false;
    if (ch === 63) {
      following = state.input.charCodeAt(state.position + 1);
      if (is_WS_OR_EOL(following)) {
        isPair = isExplicitPair = true;
        state.position++;
        skipSeparationSpace(state, true, nodeIndent);
      }
    }
    _line = state.line;
    _lineStart = state.lineStart;
    _pos = state.position;
    composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
    keyTag = state.tag;
    keyNode = state.result;
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if ((isExplicitPair || state.line === _line) && ch === 58) {
      isPair = true;
      ch = state.input.charCodeAt(++state.position);
      skipSeparationSpace(state, true, nodeIndent);
      composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
      valueNode = state.result;
    }
    if (isMapping) {
      storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos);
    } else if (isPair) {
      _result.push(storeMappingPair(state, null, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos));
    } else {
      _result.push(keyNode);
    }
    skipSeparationSpace(state, true, nodeIndent);
    ch = state.input.charCodeAt(state.position);
    if (ch === 44) {
      readNext = true;
      ch = state.input.charCodeAt(++state.position);
    } else {
      readNext = false;
    }
  }
  throwError(state, "unexpected end of the stream within a flow collection");
}
function readBlockScalar(state, nodeIndent) {
  var captureStart, folding, chomping = CHOMPING_CLIP, didReadContent = false, detectedIndent = false, textIndent = nodeIndent, emptyLines = 0, atMoreIndented = false, tmp, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch === 124) {
    folding = false;
  } else if (ch === 62) {
    folding = true;
  } else {
    return false;
  }
  state.kind = "scalar";
  state.result = "";
  while (ch !== 0) {
    ch = state.input.charCodeAt(++state.position);
    if (ch === 43 || ch === 45) {
      if (CHOMPING_CLIP === chomping) {
        chomping = ch === 43 ? CHOMPING_KEEP : CHOMPING_STRIP;
      } else {
        throwError(state, "repeat of a chomping mode identifier");
      }
    } else if ((tmp = fromDecimalCode(ch)) >= 0) {
      if (tmp === 0) {
        throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
      } else if (!detectedIndent) {
        textIndent = nodeIndent + tmp - 1;
        detectedIndent = true;
      } else {
        throwError(state, "repeat of an indentation width identifier");
      }
    } else {
      break;
    }
  }
  if (is_WHITE_SPACE(ch)) {
    do {
      ch = state.input.charCodeAt(++state.position);
    } while (is_WHITE_SPACE(ch));
    if (ch === 35) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (!is_EOL(ch) && ch !== 0);
    }
  }
  while (ch !== 0) {
    readLineBreak(state);
    state.lineIndent = 0;
    ch = state.input.charCodeAt(state.position);
    while ((!detectedIndent || state.lineIndent < textIndent) && ch === 32) {
      state.lineIndent++;
      ch = state.input.charCodeAt(++state.position);
    }
    if (!detectedIndent && state.lineIndent > textIndent) {
      textIndent = state.lineIndent;
    }
    if (is_EOL(ch)) {
      emptyLines++;
      continue;
    }
    if (state.lineIndent < textIndent) {
      if (chomping === CHOMPING_KEEP) {
        state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
      } else if (chomping === CHOMPING_CLIP) {
        if (didReadContent) {
          state.result += "\n";
        }
      }
      break;
    }
    if (folding) {
      if (is_WHITE_SPACE(ch)) {
        atMoreIndented = true;
        state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        state.result += common.repeat("\n", emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didReadContent) {
          state.result += " ";
        }
      } else {
        state.result += common.repeat("\n", emptyLines);
      }
    } else {
      state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
    }
    didReadContent = true;
    detectedIndent = true;
    emptyLines = 0;
    captureStart = state.position;
    while (!is_EOL(ch) && ch !== 0) {
      ch = state.input.charCodeAt(++state.position);
    }
    captureSegment(state, captureStart, state.position, false);
  }
  return true;
}
function readBlockSequence(state, nodeIndent) {
  var _line, _tag = state.tag, _anchor = state.anchor, _result = [], following, detected = false, ch;
  if (state.firstTabInLine !== -1) return false;
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    if (state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    if (ch !== 45) {
      break;
    }
    following = state.input.charCodeAt(state.position + 1);
    if (!is_WS_OR_EOL(following)) {
      break;
    }
    detected = true;
    state.position++;
    if (skipSeparationSpace(state, true, -1)) {
      if (state.lineIndent <= nodeIndent) {
        _result.push(null);
        ch = state.input.charCodeAt(state.position);
        continue;
      }
    }
    _line = state.line;
    composeNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
    _result.push(state.result);
    skipSeparationSpace(state, true, -1);
    ch = state.input.charCodeAt(state.position);
    if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
      throwError(state, "bad indentation of a sequence entry");
    } else if (state.lineIndent < nodeIndent) {
      break;
    }
  }
  if (detected) {
    state.tag = _tag;
    state.anchor = _anchor;
    state.kind = "sequence";
    state.result = _result;
    return true;
  }
  return false;
}
function readBlockMapping(state, nodeIndent, flowIndent) {
  var following, allowCompact, _line, _keyLine, _keyLineStart, _keyPos, _tag = state.tag, _anchor = state.anchor, _result = {}, overridableKeys = /* @__PURE__ */ Object.create(null), keyTag = null, keyNode = null, valueNode = null, atExplicitKey = false, detected = false, ch;
  if (state.firstTabInLine !== -1) return false;
  if (state.anchor !== null) {
    state.anchorMap[state.anchor] = _result;
  }
  ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    if (!atExplicitKey && state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    following = state.input.charCodeAt(state.position + 1);
    _line = state.line;
    if ((ch === 63 || ch === 58) && is_WS_OR_EOL(following)) {
      if (ch === 63) {
        if (atExplicitKey) {
          storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
          keyTag = keyNode = valueNode = null;
        }
        detected = true;
        atExplicitKey = true;
        allowCompact = true;
      } else if (atExplicitKey) {
        atExplicitKey = false;
        allowCompact = true;
      } else {
        throwError(state, "incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line");
      }
      state.position += 1;
      ch = following;
    } else {
      _keyLine = state.line;
      _keyLineStart = state.lineStart;
      _keyPos = state.position;
      if (!composeNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) {
        break;
      }
      if (state.line === _line) {
        ch = state.input.charCodeAt(state.position);
        while (is_WHITE_SPACE(ch)) {
          ch = state.input.charCodeAt(++state.position);
        }
        if (ch === 58) {
          ch = state.input.charCodeAt(++state.position);
          if (!is_WS_OR_EOL(ch)) {
            throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
          }
          if (atExplicitKey) {
            storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
            keyTag = keyNode = valueNode = null;
          }
          detected = true;
          atExplicitKey = false;
          allowCompact = false;
          keyTag = state.tag;
          keyNode = state.result;
        } else if (detected) {
          throwError(state, "can not read an implicit mapping pair; a colon is missed");
        } else {
          state.tag = _tag;
          state.anchor = _anchor;
          return true;
        }
      } else if (detected) {
        throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
      } else {
        state.tag = _tag;
        state.anchor = _anchor;
        return true;
      }
    }
    if (state.line === _line || state.lineIndent > nodeIndent) {
      if (atExplicitKey) {
        _keyLine = state.line;
        _keyLineStart = state.lineStart;
        _keyPos = state.position;
      }
      if (composeNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, allowCompact)) {
        if (atExplicitKey) {
          keyNode = state.result;
        } else {
          valueNode = state.result;
        }
      }
      if (!atExplicitKey) {
        storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _keyLine, _keyLineStart, _keyPos);
        keyTag = keyNode = valueNode = null;
      }
      skipSeparationSpace(state, true, -1);
      ch = state.input.charCodeAt(state.position);
    }
    if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
      throwError(state, "bad indentation of a mapping entry");
    } else if (state.lineIndent < nodeIndent) {
      break;
    }
  }
  if (atExplicitKey) {
    storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
  }
  if (detected) {
    state.tag = _tag;
    state.anchor = _anchor;
    state.kind = "mapping";
    state.result = _result;
  }
  return detected;
}
function readTagProperty(state) {
  var _position, isVerbatim = false, isNamed = false, tagHandle, tagName, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 33) return false;
  if (state.tag !== null) {
    throwError(state, "duplication of a tag property");
  }
  ch = state.input.charCodeAt(++state.position);
  if (ch === 60) {
    isVerbatim = true;
    ch = state.input.charCodeAt(++state.position);
  } else if (ch === 33) {
    isNamed = true;
    tagHandle = "!!";
    ch = state.input.charCodeAt(++state.position);
  } else {
    tagHandle = "!";
  }
  _position = state.position;
  if (isVerbatim) {
    do {
      ch = state.input.charCodeAt(++state.position);
    } while (ch !== 0 && ch !== 62);
    if (state.position < state.length) {
      tagName = state.input.slice(_position, state.position);
      ch = state.input.charCodeAt(++state.position);
    } else {
      throwError(state, "unexpected end of the stream within a verbatim tag");
    }
  } else {
    while (ch !== 0 && !is_WS_OR_EOL(ch)) {
      if (ch === 33) {
        if (!isNamed) {
          tagHandle = state.input.slice(_position - 1, state.position + 1);
          if (!PATTERN_TAG_HANDLE.test(tagHandle)) {
            throwError(state, "named tag handle cannot contain such characters");
          }
          isNamed = true;
          _position = state.position + 1;
        } else {
          throwError(state, "tag suffix cannot contain exclamation marks");
        }
      }
      ch = state.input.charCodeAt(++state.position);
    }
    tagName = state.input.slice(_position, state.position);
    if (PATTERN_FLOW_INDICATORS.test(tagName)) {
      throwError(state, "tag suffix cannot contain flow indicator characters");
    }
  }
  if (tagName && !PATTERN_TAG_URI.test(tagName)) {
    throwError(state, "tag name cannot contain such characters: " + tagName);
  }
  try {
    tagName = decodeURIComponent(tagName);
  } catch (err) {
    throwError(state, "tag name is malformed: " + tagName);
  }
  if (isVerbatim) {
    state.tag = tagName;
  } else if (_hasOwnProperty$1.call(state.tagMap, tagHandle)) {
    state.tag = state.tagMap[tagHandle] + tagName;
  } else if (tagHandle === "!") {
    state.tag = "!" + tagName;
  } else if (tagHandle === "!!") {
    state.tag = "tag:yaml.org,2002:" + tagName;
  } else {
    throwError(state, 'undeclared tag handle "' + tagHandle + '"');
  }
  return true;
}
function readAnchorProperty(state) {
  var _position, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 38) return false;
  if (state.anchor !== null) {
    throwError(state, "duplication of an anchor property");
  }
  ch = state.input.charCodeAt(++state.position);
  _position = state.position;
  while (ch !== 0 && !is_WS_OR_EOL(ch) && !is_FLOW_INDICATOR(ch)) {
    ch = state.input.charCodeAt(++state.position);
  }
  if (state.position === _position) {
    throwError(state, "name of an anchor node must contain at least one character");
  }
  state.anchor = state.input.slice(_position, state.position);
  return true;
}
function readAlias(state) {
  var _position, alias, ch;
  ch = state.input.charCodeAt(state.position);
  if (ch !== 42) return false;
  ch = state.input.charCodeAt(++state.position);
  _position = state.position;
  while (ch !== 0 && !is_WS_OR_EOL(ch) && !is_FLOW_INDICATOR(ch)) {
    ch = state.input.charCodeAt(++state.position);
  }
  if (state.position === _position) {
    throwError(state, "name of an alias node must contain at least one character");
  }
  alias = state.input.slice(_position, state.position);
  if (!_hasOwnProperty$1.call(state.anchorMap, alias)) {
    throwError(state, 'unidentified alias "' + alias + '"');
  }
  state.result = state.anchorMap[alias];
  skipSeparationSpace(state, true, -1);
  return true;
}
function composeNode(state, parentIndent, nodeContext, allowToSeek, allowCompact) {
  var allowBlockStyles, allowBlockScalars, allowBlockCollections, indentStatus = 1, atNewLine = false, hasContent = false, typeIndex, typeQuantity, typeList, type2, flowIndent, blockIndent;
  if (state.listener !== null) {
    state.listener("open", state);
  }
  state.tag = null;
  state.anchor = null;
  state.kind = null;
  state.result = null;
  allowBlockStyles = allowBlockScalars = allowBlockCollections = CONTEXT_BLOCK_OUT === nodeContext || CONTEXT_BLOCK_IN === nodeContext;
  if (allowToSeek) {
    if (skipSeparationSpace(state, true, -1)) {
      atNewLine = true;
      if (state.lineIndent > parentIndent) {
        indentStatus = 1;
      } else if (state.lineIndent === parentIndent) {
        indentStatus = 0;
      } else if (state.lineIndent < parentIndent) {
        indentStatus = -1;
      }
    }
  }
  if (indentStatus === 1) {
    while (readTagProperty(state) || readAnchorProperty(state)) {
      if (skipSeparationSpace(state, true, -1)) {
        atNewLine = true;
        allowBlockCollections = allowBlockStyles;
        if (state.lineIndent > parentIndent) {
          indentStatus = 1;
        } else if (state.lineIndent === parentIndent) {
          indentStatus = 0;
        } else if (state.lineIndent < parentIndent) {
          indentStatus = -1;
        }
      } else {
        allowBlockCollections = false;
      }
    }
  }
  if (allowBlockCollections) {
    allowBlockCollections = atNewLine || allowCompact;
  }
  if (indentStatus === 1 || CONTEXT_BLOCK_OUT === nodeContext) {
    if (CONTEXT_FLOW_IN === nodeContext || CONTEXT_FLOW_OUT === nodeContext) {
      flowIndent = parentIndent;
    } else {
      flowIndent = parentIndent + 1;
    }
    blockIndent = state.position - state.lineStart;
    if (indentStatus === 1) {
      if (allowBlockCollections && (readBlockSequence(state, blockIndent) || readBlockMapping(state, blockIndent, flowIndent)) || readFlowCollection(state, flowIndent)) {
        hasContent = true;
      } else {
        if (allowBlockScalars && readBlockScalar(state, flowIndent) || readSingleQuotedScalar(state, flowIndent) || readDoubleQuotedScalar(state, flowIndent)) {
          hasContent = true;
        } else if (readAlias(state)) {
          hasContent = true;
          if (state.tag !== null || state.anchor !== null) {
            throwError(state, "alias node should not have any properties");
          }
        } else if (readPlainScalar(state, flowIndent, CONTEXT_FLOW_IN === nodeContext)) {
          hasContent = true;
          if (state.tag === null) {
            state.tag = "?";
          }
        }
        if (state.anchor !== null) {
          state.anchorMap[state.anchor] = state.result;
        }
      }
    } else if (indentStatus === 0) {
      hasContent = allowBlockCollections && readBlockSequence(state, blockIndent);
    }
  }
  if (state.tag === null) {
    if (state.anchor !== null) {
      state.anchorMap[state.anchor] = state.result;
    }
  } else if (state.tag === "?") {
    if (state.result !== null && state.kind !== "scalar") {
      throwError(state, 'unacceptable node kind for !<?> tag; it should be "scalar", not "' + state.kind + '"');
    }
    for (typeIndex = 0, typeQuantity = state.implicitTypes.length; typeIndex < typeQuantity; typeIndex += 1) {
      type2 = state.implicitTypes[typeIndex];
      if (type2.resolve(state.result)) {
        state.result = type2.construct(state.result);
        state.tag = type2.tag;
        if (state.anchor !== null) {
          state.anchorMap[state.anchor] = state.result;
        }
        break;
      }
    }
  } else if (state.tag !== "!") {
    if (_hasOwnProperty$1.call(state.typeMap[state.kind || "fallback"], state.tag)) {
      type2 = state.typeMap[state.kind || "fallback"][state.tag];
    } else {
      type2 = null;
      typeList = state.typeMap.multi[state.kind || "fallback"];
      for (typeIndex = 0, typeQuantity = typeList.length; typeIndex < typeQuantity; typeIndex += 1) {
        if (state.tag.slice(0, typeList[typeIndex].tag.length) === typeList[typeIndex].tag) {
          type2 = typeList[typeIndex];
          break;
        }
      }
    }
    if (!type2) {
      throwError(state, "unknown tag !<" + state.tag + ">");
    }
    if (state.result !== null && type2.kind !== state.kind) {
      throwError(state, "unacceptable node kind for !<" + state.tag + '> tag; it should be "' + type2.kind + '", not "' + state.kind + '"');
    }
    if (!type2.resolve(state.result, state.tag)) {
      throwError(state, "cannot resolve a node with !<" + state.tag + "> explicit tag");
    } else {
      state.result = type2.construct(state.result, state.tag);
      if (state.anchor !== null) {
        state.anchorMap[state.anchor] = state.result;
      }
    }
  }
  if (state.listener !== null) {
    state.listener("close", state);
  }
  return state.tag !== null || state.anchor !== null || hasContent;
}
function readDocument(state) {
  var documentStart = state.position, _position, directiveName, directiveArgs, hasDirectives = false, ch;
  state.version = null;
  state.checkLineBreaks = state.legacy;
  state.tagMap = /* @__PURE__ */ Object.create(null);
  state.anchorMap = /* @__PURE__ */ Object.create(null);
  while ((ch = state.input.charCodeAt(state.position)) !== 0) {
    skipSeparationSpace(state, true, -1);
    ch = state.input.charCodeAt(state.position);
    if (state.lineIndent > 0 || ch !== 37) {
      break;
    }
    hasDirectives = true;
    ch = state.input.charCodeAt(++state.position);
    _position = state.position;
    while (ch !== 0 && !is_WS_OR_EOL(ch)) {
      ch = state.input.charCodeAt(++state.position);
    }
    directiveName = state.input.slice(_position, state.position);
    directiveArgs = [];
    if (directiveName.length < 1) {
      throwError(state, "directive name must not be less than one character in length");
    }
    while (ch !== 0) {
      while (is_WHITE_SPACE(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      if (ch === 35) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (ch !== 0 && !is_EOL(ch));
        break;
      }
      if (is_EOL(ch)) break;
      _position = state.position;
      while (ch !== 0 && !is_WS_OR_EOL(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      directiveArgs.push(state.input.slice(_position, state.position));
    }
    if (ch !== 0) readLineBreak(state);
    if (_hasOwnProperty$1.call(directiveHandlers, directiveName)) {
      directiveHandlers[directiveName](state, directiveName, directiveArgs);
    } else {
      throwWarning(state, 'unknown document directive "' + directiveName + '"');
    }
  }
  skipSeparationSpace(state, true, -1);
  if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45) {
    state.position += 3;
    skipSeparationSpace(state, true, -1);
  } else if (hasDirectives) {
    throwError(state, "directives end mark is expected");
  }
  composeNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, true);
  skipSeparationSpace(state, true, -1);
  if (state.checkLineBreaks && PATTERN_NON_ASCII_LINE_BREAKS.test(state.input.slice(documentStart, state.position))) {
    throwWarning(state, "non-ASCII line breaks are interpreted as content");
  }
  state.documents.push(state.result);
  if (state.position === state.lineStart && testDocumentSeparator(state)) {
    if (state.input.charCodeAt(state.position) === 46) {
      state.position += 3;
      skipSeparationSpace(state, true, -1);
    }
    return;
  }
  if (state.position < state.length - 1) {
    throwError(state, "end of the stream or a document separator is expected");
  } else {
    return;
  }
}
function loadDocuments(input, options) {
  input = String(input);
  options = options || {};
  if (input.length !== 0) {
    if (input.charCodeAt(input.length - 1) !== 10 && input.charCodeAt(input.length - 1) !== 13) {
      input += "\n";
    }
    if (input.charCodeAt(0) === 65279) {
      input = input.slice(1);
    }
  }
  var state = new State$1(input, options);
  var nullpos = input.indexOf("\0");
  if (nullpos !== -1) {
    state.position = nullpos;
    throwError(state, "null byte is not allowed in input");
  }
  state.input += "\0";
  while (state.input.charCodeAt(state.position) === 32) {
    state.lineIndent += 1;
    state.position += 1;
  }
  while (state.position < state.length - 1) {
    readDocument(state);
  }
  return state.documents;
}
function loadAll$1(input, iterator, options) {
  if (iterator !== null && typeof iterator === "object" && typeof options === "undefined") {
    options = iterator;
    iterator = null;
  }
  var documents = loadDocuments(input, options);
  if (typeof iterator !== "function") {
    return documents;
  }
  for (var index = 0, length = documents.length; index < length; index += 1) {
    iterator(documents[index]);
  }
}
function load$1(input, options) {
  var documents = loadDocuments(input, options);
  if (documents.length === 0) {
    return void 0;
  } else if (documents.length === 1) {
    return documents[0];
  }
  throw new exception("expected a single document in the stream, but found more");
}
var loadAll_1 = loadAll$1;
var load_1 = load$1;
var loader = {
  loadAll: loadAll_1,
  load: load_1
};
var _toString = Object.prototype.toString;
var _hasOwnProperty = Object.prototype.hasOwnProperty;
var CHAR_BOM = 65279;
var CHAR_TAB = 9;
var CHAR_LINE_FEED = 10;
var CHAR_CARRIAGE_RETURN = 13;
var CHAR_SPACE = 32;
var CHAR_EXCLAMATION = 33;
var CHAR_DOUBLE_QUOTE = 34;
var CHAR_SHARP = 35;
var CHAR_PERCENT = 37;
var CHAR_AMPERSAND = 38;
var CHAR_SINGLE_QUOTE = 39;
var CHAR_ASTERISK = 42;
var CHAR_COMMA = 44;
var CHAR_MINUS = 45;
var CHAR_COLON = 58;
var CHAR_EQUALS = 61;
var CHAR_GREATER_THAN = 62;
var CHAR_QUESTION = 63;
var CHAR_COMMERCIAL_AT = 64;
var CHAR_LEFT_SQUARE_BRACKET = 91;
var CHAR_RIGHT_SQUARE_BRACKET = 93;
var CHAR_GRAVE_ACCENT = 96;
var CHAR_LEFT_CURLY_BRACKET = 123;
var CHAR_VERTICAL_LINE = 124;
var CHAR_RIGHT_CURLY_BRACKET = 125;
var ESCAPE_SEQUENCES = {};
ESCAPE_SEQUENCES[0] = "\\0";
ESCAPE_SEQUENCES[7] = "\\a";
ESCAPE_SEQUENCES[8] = "\\b";
ESCAPE_SEQUENCES[9] = "\\t";
ESCAPE_SEQUENCES[10] = "\\n";
ESCAPE_SEQUENCES[11] = "\\v";
ESCAPE_SEQUENCES[12] = "\\f";
ESCAPE_SEQUENCES[13] = "\\r";
ESCAPE_SEQUENCES[27] = "\\e";
ESCAPE_SEQUENCES[34] = '\\"';
ESCAPE_SEQUENCES[92] = "\\\\";
ESCAPE_SEQUENCES[133] = "\\N";
ESCAPE_SEQUENCES[160] = "\\_";
ESCAPE_SEQUENCES[8232] = "\\L";
ESCAPE_SEQUENCES[8233] = "\\P";
var DEPRECATED_BOOLEANS_SYNTAX = [
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF"
];
var DEPRECATED_BASE60_SYNTAX = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
function compileStyleMap(schema2, map2) {
  var result, keys, index, length, tag, style, type2;
  if (map2 === null) return {};
  result = {};
  keys = Object.keys(map2);
  for (index = 0, length = keys.length; index < length; index += 1) {
    tag = keys[index];
    style = String(map2[tag]);
    if (tag.slice(0, 2) === "!!") {
      tag = "tag:yaml.org,2002:" + tag.slice(2);
    }
    type2 = schema2.compiledTypeMap["fallback"][tag];
    if (type2 && _hasOwnProperty.call(type2.styleAliases, style)) {
      style = type2.styleAliases[style];
    }
    result[tag] = style;
  }
  return result;
}
function encodeHex(character) {
  var string, handle, length;
  string = character.toString(16).toUpperCase();
  if (character <= 255) {
    handle = "x";
    length = 2;
  } else if (character <= 65535) {
    handle = "u";
    length = 4;
  } else if (character <= 4294967295) {
    handle = "U";
    length = 8;
  } else {
    throw new exception("code point within a string may not be greater than 0xFFFFFFFF");
  }
  return "\\" + handle + common.repeat("0", length - string.length) + string;
}
var QUOTING_TYPE_SINGLE = 1;
var QUOTING_TYPE_DOUBLE = 2;
function State(options) {
  this.schema = options["schema"] || _default;
  this.indent = Math.max(1, options["indent"] || 2);
  this.noArrayIndent = options["noArrayIndent"] || false;
  this.skipInvalid = options["skipInvalid"] || false;
  this.flowLevel = common.isNothing(options["flowLevel"]) ? -1 : options["flowLevel"];
  this.styleMap = compileStyleMap(this.schema, options["styles"] || null);
  this.sortKeys = options["sortKeys"] || false;
  this.lineWidth = options["lineWidth"] || 80;
  this.noRefs = options["noRefs"] || false;
  this.noCompatMode = options["noCompatMode"] || false;
  this.condenseFlow = options["condenseFlow"] || false;
  this.quotingType = options["quotingType"] === '"' ? QUOTING_TYPE_DOUBLE : QUOTING_TYPE_SINGLE;
  this.forceQuotes = options["forceQuotes"] || false;
  this.replacer = typeof options["replacer"] === "function" ? options["replacer"] : null;
  this.implicitTypes = this.schema.compiledImplicit;
  this.explicitTypes = this.schema.compiledExplicit;
  this.tag = null;
  this.result = "";
  this.duplicates = [];
  this.usedDuplicates = null;
}
function indentString(string, spaces) {
  var ind = common.repeat(" ", spaces), position = 0, next = -1, result = "", line, length = string.length;
  while (position < length) {
    next = string.indexOf("\n", position);
    if (next === -1) {
      line = string.slice(position);
      position = length;
    } else {
      line = string.slice(position, next + 1);
      position = next + 1;
    }
    if (line.length && line !== "\n") result += ind;
    result += line;
  }
  return result;
}
function generateNextLine(state, level) {
  return "\n" + common.repeat(" ", state.indent * level);
}
function testImplicitResolving(state, str2) {
  var index, length, type2;
  for (index = 0, length = state.implicitTypes.length; index < length; index += 1) {
    type2 = state.implicitTypes[index];
    if (type2.resolve(str2)) {
      return true;
    }
  }
  return false;
}
function isWhitespace(c) {
  return c === CHAR_SPACE || c === CHAR_TAB;
}
function isPrintable(c) {
  return 32 <= c && c <= 126 || 161 <= c && c <= 55295 && c !== 8232 && c !== 8233 || 57344 <= c && c <= 65533 && c !== CHAR_BOM || 65536 <= c && c <= 1114111;
}
function isNsCharOrWhitespace(c) {
  return isPrintable(c) && c !== CHAR_BOM && c !== CHAR_CARRIAGE_RETURN && c !== CHAR_LINE_FEED;
}
function isPlainSafe(c, prev, inblock) {
  var cIsNsCharOrWhitespace = isNsCharOrWhitespace(c);
  var cIsNsChar = cIsNsCharOrWhitespace && !isWhitespace(c);
  return (
    // ns-plain-safe
    (inblock ? (
      // c = flow-in
      cIsNsCharOrWhitespace
    ) : cIsNsCharOrWhitespace && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET) && c !== CHAR_SHARP && !(prev === CHAR_COLON && !cIsNsChar) || isNsCharOrWhitespace(prev) && !isWhitespace(prev) && c === CHAR_SHARP || prev === CHAR_COLON && cIsNsChar
  );
}
function isPlainSafeFirst(c) {
  return isPrintable(c) && c !== CHAR_BOM && !isWhitespace(c) && c !== CHAR_MINUS && c !== CHAR_QUESTION && c !== CHAR_COLON && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET && c !== CHAR_SHARP && c !== CHAR_AMPERSAND && c !== CHAR_ASTERISK && c !== CHAR_EXCLAMATION && c !== CHAR_VERTICAL_LINE && c !== CHAR_EQUALS && c !== CHAR_GREATER_THAN && c !== CHAR_SINGLE_QUOTE && c !== CHAR_DOUBLE_QUOTE && c !== CHAR_PERCENT && c !== CHAR_COMMERCIAL_AT && c !== CHAR_GRAVE_ACCENT;
}
function isPlainSafeLast(c) {
  return !isWhitespace(c) && c !== CHAR_COLON;
}
function codePointAt(string, pos) {
  var first = string.charCodeAt(pos), second;
  if (first >= 55296 && first <= 56319 && pos + 1 < string.length) {
    second = string.charCodeAt(pos + 1);
    if (second >= 56320 && second <= 57343) {
      return (first - 55296) * 1024 + second - 56320 + 65536;
    }
  }
  return first;
}
function needIndentIndicator(string) {
  var leadingSpaceRe = /^\n* /;
  return leadingSpaceRe.test(string);
}
var STYLE_PLAIN = 1;
var STYLE_SINGLE = 2;
var STYLE_LITERAL = 3;
var STYLE_FOLDED = 4;
var STYLE_DOUBLE = 5;
function chooseScalarStyle(string, singleLineOnly, indentPerLevel, lineWidth, testAmbiguousType, quotingType, forceQuotes, inblock) {
  var i2;
  var char = 0;
  var prevChar = null;
  var hasLineBreak = false;
  var hasFoldableLine = false;
  var shouldTrackWidth = lineWidth !== -1;
  var previousLineBreak = -1;
  var plain = isPlainSafeFirst(codePointAt(string, 0)) && isPlainSafeLast(codePointAt(string, string.length - 1));
  if (singleLineOnly || forceQuotes) {
    for (i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
      char = codePointAt(string, i2);
      if (!isPrintable(char)) {
        return STYLE_DOUBLE;
      }
      plain = plain && isPlainSafe(char, prevChar, inblock);
      prevChar = char;
    }
  } else {
    for (i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
      char = codePointAt(string, i2);
      if (char === CHAR_LINE_FEED) {
        hasLineBreak = true;
        if (shouldTrackWidth) {
          hasFoldableLine = hasFoldableLine || // Foldable line = too long, and not more-indented.
          i2 - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ";
          previousLineBreak = i2;
        }
      } else if (!isPrintable(char)) {
        return STYLE_DOUBLE;
      }
      plain = plain && isPlainSafe(char, prevChar, inblock);
      prevChar = char;
    }
    hasFoldableLine = hasFoldableLine || shouldTrackWidth && (i2 - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ");
  }
  if (!hasLineBreak && !hasFoldableLine) {
    if (plain && !forceQuotes && !testAmbiguousType(string)) {
      return STYLE_PLAIN;
    }
    return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
  }
  if (indentPerLevel > 9 && needIndentIndicator(string)) {
    return STYLE_DOUBLE;
  }
  if (!forceQuotes) {
    return hasFoldableLine ? STYLE_FOLDED : STYLE_LITERAL;
  }
  return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
}
function writeScalar(state, string, level, iskey, inblock) {
  state.dump = (function() {
    if (string.length === 0) {
      return state.quotingType === QUOTING_TYPE_DOUBLE ? '""' : "''";
    }
    if (!state.noCompatMode) {
      if (DEPRECATED_BOOLEANS_SYNTAX.indexOf(string) !== -1 || DEPRECATED_BASE60_SYNTAX.test(string)) {
        return state.quotingType === QUOTING_TYPE_DOUBLE ? '"' + string + '"' : "'" + string + "'";
      }
    }
    var indent = state.indent * Math.max(1, level);
    var lineWidth = state.lineWidth === -1 ? -1 : Math.max(Math.min(state.lineWidth, 40), state.lineWidth - indent);
    var singleLineOnly = iskey || state.flowLevel > -1 && level >= state.flowLevel;
    function testAmbiguity(string2) {
      return testImplicitResolving(state, string2);
    }
    switch (chooseScalarStyle(
      string,
      singleLineOnly,
      state.indent,
      lineWidth,
      testAmbiguity,
      state.quotingType,
      state.forceQuotes && !iskey,
      inblock
    )) {
      case STYLE_PLAIN:
        return string;
      case STYLE_SINGLE:
        return "'" + string.replace(/'/g, "''") + "'";
      case STYLE_LITERAL:
        return "|" + blockHeader(string, state.indent) + dropEndingNewline(indentString(string, indent));
      case STYLE_FOLDED:
        return ">" + blockHeader(string, state.indent) + dropEndingNewline(indentString(foldString(string, lineWidth), indent));
      case STYLE_DOUBLE:
        return '"' + escapeString(string) + '"';
      default:
        throw new exception("impossible error: invalid scalar style");
    }
  })();
}
function blockHeader(string, indentPerLevel) {
  var indentIndicator = needIndentIndicator(string) ? String(indentPerLevel) : "";
  var clip = string[string.length - 1] === "\n";
  var keep = clip && (string[string.length - 2] === "\n" || string === "\n");
  var chomp = keep ? "+" : clip ? "" : "-";
  return indentIndicator + chomp + "\n";
}
function dropEndingNewline(string) {
  return string[string.length - 1] === "\n" ? string.slice(0, -1) : string;
}
function foldString(string, width) {
  var lineRe = /(\n+)([^\n]*)/g;
  var result = (function() {
    var nextLF = string.indexOf("\n");
    nextLF = nextLF !== -1 ? nextLF : string.length;
    lineRe.lastIndex = nextLF;
    return foldLine(string.slice(0, nextLF), width);
  })();
  var prevMoreIndented = string[0] === "\n" || string[0] === " ";
  var moreIndented;
  var match;
  while (match = lineRe.exec(string)) {
    var prefix = match[1], line = match[2];
    moreIndented = line[0] === " ";
    result += prefix + (!prevMoreIndented && !moreIndented && line !== "" ? "\n" : "") + foldLine(line, width);
    prevMoreIndented = moreIndented;
  }
  return result;
}
function foldLine(line, width) {
  if (line === "" || line[0] === " ") return line;
  var breakRe = / [^ ]/g;
  var match;
  var start = 0, end, curr = 0, next = 0;
  var result = "";
  while (match = breakRe.exec(line)) {
    next = match.index;
    if (next - start > width) {
      end = curr > start ? curr : next;
      result += "\n" + line.slice(start, end);
      start = end + 1;
    }
    curr = next;
  }
  result += "\n";
  if (line.length - start > width && curr > start) {
    result += line.slice(start, curr) + "\n" + line.slice(curr + 1);
  } else {
    result += line.slice(start);
  }
  return result.slice(1);
}
function escapeString(string) {
  var result = "";
  var char = 0;
  var escapeSeq;
  for (var i2 = 0; i2 < string.length; char >= 65536 ? i2 += 2 : i2++) {
    char = codePointAt(string, i2);
    escapeSeq = ESCAPE_SEQUENCES[char];
    if (!escapeSeq && isPrintable(char)) {
      result += string[i2];
      if (char >= 65536) result += string[i2 + 1];
    } else {
      result += escapeSeq || encodeHex(char);
    }
  }
  return result;
}
function writeFlowSequence(state, level, object) {
  var _result = "", _tag = state.tag, index, length, value;
  for (index = 0, length = object.length; index < length; index += 1) {
    value = object[index];
    if (state.replacer) {
      value = state.replacer.call(object, String(index), value);
    }
    if (writeNode(state, level, value, false, false) || typeof value === "undefined" && writeNode(state, level, null, false, false)) {
      if (_result !== "") _result += "," + (!state.condenseFlow ? " " : "");
      _result += state.dump;
    }
  }
  state.tag = _tag;
  state.dump = "[" + _result + "]";
}
function writeBlockSequence(state, level, object, compact) {
  var _result = "", _tag = state.tag, index, length, value;
  for (index = 0, length = object.length; index < length; index += 1) {
    value = object[index];
    if (state.replacer) {
      value = state.replacer.call(object, String(index), value);
    }
    if (writeNode(state, level + 1, value, true, true, false, true) || typeof value === "undefined" && writeNode(state, level + 1, null, true, true, false, true)) {
      if (!compact || _result !== "") {
        _result += generateNextLine(state, level);
      }
      if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
        _result += "-";
      } else {
        _result += "- ";
      }
      _result += state.dump;
    }
  }
  state.tag = _tag;
  state.dump = _result || "[]";
}
function writeFlowMapping(state, level, object) {
  var _result = "", _tag = state.tag, objectKeyList = Object.keys(object), index, length, objectKey, objectValue, pairBuffer;
  for (index = 0, length = objectKeyList.length; index < length; index += 1) {
    pairBuffer = "";
    if (_result !== "") pairBuffer += ", ";
    if (state.condenseFlow) pairBuffer += '"';
    objectKey = objectKeyList[index];
    objectValue = object[objectKey];
    if (state.replacer) {
      objectValue = state.replacer.call(object, objectKey, objectValue);
    }
    if (!writeNode(state, level, objectKey, false, false)) {
      continue;
    }
    if (state.dump.length > 1024) pairBuffer += "? ";
    pairBuffer += state.dump + (state.condenseFlow ? '"' : "") + ":" + (state.condenseFlow ? "" : " ");
    if (!writeNode(state, level, objectValue, false, false)) {
      continue;
    }
    pairBuffer += state.dump;
    _result += pairBuffer;
  }
  state.tag = _tag;
  state.dump = "{" + _result + "}";
}
function writeBlockMapping(state, level, object, compact) {
  var _result = "", _tag = state.tag, objectKeyList = Object.keys(object), index, length, objectKey, objectValue, explicitPair, pairBuffer;
  if (state.sortKeys === true) {
    objectKeyList.sort();
  } else if (typeof state.sortKeys === "function") {
    objectKeyList.sort(state.sortKeys);
  } else if (state.sortKeys) {
    throw new exception("sortKeys must be a boolean or a function");
  }
  for (index = 0, length = objectKeyList.length; index < length; index += 1) {
    pairBuffer = "";
    if (!compact || _result !== "") {
      pairBuffer += generateNextLine(state, level);
    }
    objectKey = objectKeyList[index];
    objectValue = object[objectKey];
    if (state.replacer) {
      objectValue = state.replacer.call(object, objectKey, objectValue);
    }
    if (!writeNode(state, level + 1, objectKey, true, true, true)) {
      continue;
    }
    explicitPair = state.tag !== null && state.tag !== "?" || state.dump && state.dump.length > 1024;
    if (explicitPair) {
      if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
        pairBuffer += "?";
      } else {
        pairBuffer += "? ";
      }
    }
    pairBuffer += state.dump;
    if (explicitPair) {
      pairBuffer += generateNextLine(state, level);
    }
    if (!writeNode(state, level + 1, objectValue, true, explicitPair)) {
      continue;
    }
    if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
      pairBuffer += ":";
    } else {
      pairBuffer += ": ";
    }
    pairBuffer += state.dump;
    _result += pairBuffer;
  }
  state.tag = _tag;
  state.dump = _result || "{}";
}
function detectType(state, object, explicit) {
  var _result, typeList, index, length, type2, style;
  typeList = explicit ? state.explicitTypes : state.implicitTypes;
  for (index = 0, length = typeList.length; index < length; index += 1) {
    type2 = typeList[index];
    if ((type2.instanceOf || type2.predicate) && (!type2.instanceOf || typeof object === "object" && object instanceof type2.instanceOf) && (!type2.predicate || type2.predicate(object))) {
      if (explicit) {
        if (type2.multi && type2.representName) {
          state.tag = type2.representName(object);
        } else {
          state.tag = type2.tag;
        }
      } else {
        state.tag = "?";
      }
      if (type2.represent) {
        style = state.styleMap[type2.tag] || type2.defaultStyle;
        if (_toString.call(type2.represent) === "[object Function]") {
          _result = type2.represent(object, style);
        } else if (_hasOwnProperty.call(type2.represent, style)) {
          _result = type2.represent[style](object, style);
        } else {
          throw new exception("!<" + type2.tag + '> tag resolver accepts not "' + style + '" style');
        }
        state.dump = _result;
      }
      return true;
    }
  }
  return false;
}
function writeNode(state, level, object, block, compact, iskey, isblockseq) {
  state.tag = null;
  state.dump = object;
  if (!detectType(state, object, false)) {
    detectType(state, object, true);
  }
  var type2 = _toString.call(state.dump);
  var inblock = block;
  var tagStr;
  if (block) {
    block = state.flowLevel < 0 || state.flowLevel > level;
  }
  var objectOrArray = type2 === "[object Object]" || type2 === "[object Array]", duplicateIndex, duplicate;
  if (objectOrArray) {
    duplicateIndex = state.duplicates.indexOf(object);
    duplicate = duplicateIndex !== -1;
  }
  if (state.tag !== null && state.tag !== "?" || duplicate || state.indent !== 2 && level > 0) {
    compact = false;
  }
  if (duplicate && state.usedDuplicates[duplicateIndex]) {
    state.dump = "*ref_" + duplicateIndex;
  } else {
    if (objectOrArray && duplicate && !state.usedDuplicates[duplicateIndex]) {
      state.usedDuplicates[duplicateIndex] = true;
    }
    if (type2 === "[object Object]") {
      if (block && Object.keys(state.dump).length !== 0) {
        writeBlockMapping(state, level, state.dump, compact);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + state.dump;
        }
      } else {
        writeFlowMapping(state, level, state.dump);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + " " + state.dump;
        }
      }
    } else if (type2 === "[object Array]") {
      if (block && state.dump.length !== 0) {
        if (state.noArrayIndent && !isblockseq && level > 0) {
          writeBlockSequence(state, level - 1, state.dump, compact);
        } else {
          writeBlockSequence(state, level, state.dump, compact);
        }
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + state.dump;
        }
      } else {
        writeFlowSequence(state, level, state.dump);
        if (duplicate) {
          state.dump = "&ref_" + duplicateIndex + " " + state.dump;
        }
      }
    } else if (type2 === "[object String]") {
      if (state.tag !== "?") {
        writeScalar(state, state.dump, level, iskey, inblock);
      }
    } else if (type2 === "[object Undefined]") {
      return false;
    } else {
      if (state.skipInvalid) return false;
      throw new exception("unacceptable kind of an object to dump " + type2);
    }
    if (state.tag !== null && state.tag !== "?") {
      tagStr = encodeURI(
        state.tag[0] === "!" ? state.tag.slice(1) : state.tag
      ).replace(/!/g, "%21");
      if (state.tag[0] === "!") {
        tagStr = "!" + tagStr;
      } else if (tagStr.slice(0, 18) === "tag:yaml.org,2002:") {
        tagStr = "!!" + tagStr.slice(18);
      } else {
        tagStr = "!<" + tagStr + ">";
      }
      state.dump = tagStr + " " + state.dump;
    }
  }
  return true;
}
function getDuplicateReferences(object, state) {
  var objects = [], duplicatesIndexes = [], index, length;
  inspectNode(object, objects, duplicatesIndexes);
  for (index = 0, length = duplicatesIndexes.length; index < length; index += 1) {
    state.duplicates.push(objects[duplicatesIndexes[index]]);
  }
  state.usedDuplicates = new Array(length);
}
function inspectNode(object, objects, duplicatesIndexes) {
  var objectKeyList, index, length;
  if (object !== null && typeof object === "object") {
    index = objects.indexOf(object);
    if (index !== -1) {
      if (duplicatesIndexes.indexOf(index) === -1) {
        duplicatesIndexes.push(index);
      }
    } else {
      objects.push(object);
      if (Array.isArray(object)) {
        for (index = 0, length = object.length; index < length; index += 1) {
          inspectNode(object[index], objects, duplicatesIndexes);
        }
      } else {
        objectKeyList = Object.keys(object);
        for (index = 0, length = objectKeyList.length; index < length; index += 1) {
          inspectNode(object[objectKeyList[index]], objects, duplicatesIndexes);
        }
      }
    }
  }
}
function dump$1(input, options) {
  options = options || {};
  var state = new State(options);
  if (!state.noRefs) getDuplicateReferences(input, state);
  var value = input;
  if (state.replacer) {
    value = state.replacer.call({ "": value }, "", value);
  }
  if (writeNode(state, 0, value, true, true)) return state.dump + "\n";
  return "";
}
var dump_1 = dump$1;
var dumper = {
  dump: dump_1
};
function renamed(from, to) {
  return function() {
    throw new Error("Function yaml." + from + " is removed in js-yaml 4. Use yaml." + to + " instead, which is now safe by default.");
  };
}
var Type = type;
var Schema = schema;
var FAILSAFE_SCHEMA = failsafe;
var JSON_SCHEMA = json;
var CORE_SCHEMA = core;
var DEFAULT_SCHEMA = _default;
var load = loader.load;
var loadAll = loader.loadAll;
var dump = dumper.dump;
var YAMLException = exception;
var types = {
  binary,
  float,
  map,
  null: _null,
  pairs,
  set,
  timestamp,
  bool,
  int,
  merge,
  omap,
  seq,
  str
};
var safeLoad = renamed("safeLoad", "load");
var safeLoadAll = renamed("safeLoadAll", "loadAll");
var safeDump = renamed("safeDump", "dump");
var jsYaml = {
  Type,
  Schema,
  FAILSAFE_SCHEMA,
  JSON_SCHEMA,
  CORE_SCHEMA,
  DEFAULT_SCHEMA,
  load,
  loadAll,
  dump,
  YAMLException,
  types,
  safeLoad,
  safeLoadAll,
  safeDump
};
var js_yaml_default = jsYaml;

// src/parse/yaml.ts
var DEFAULT_LIMITS = { maxDepth: 500, maxExpandedNodes: 2e6 };
var STANDARD_TAG = /^!!(str|int|float|bool|null|map|seq|binary|timestamp|merge)$|^tag:yaml\.org,2002:/;
var YamlBuildError = class extends Error {
  constructor(problem) {
    super(problem.message);
    this.problem = problem;
  }
  problem;
};
var Y11_INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$/;
var Y11_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
function resolveYaml11(text) {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57 || c === 45 || c === 43 || c === 46) return resolveNumber(text, c);
  const len = text.length;
  if (len > 5) return text;
  switch (c) {
    case 126:
      return len === 1 ? null : text;
    case 110:
      return len === 1 || text === "no" ? false : text === "null" ? null : text;
    case 78:
      return len === 1 || text === "No" || text === "NO" ? false : text === "Null" || text === "NULL" ? null : text;
    case 121:
      return len === 1 || text === "yes" ? true : text;
    case 89:
      return len === 1 || text === "Yes" || text === "YES" ? true : text;
    case 116:
      return text === "true" ? true : text;
    case 84:
      return text === "True" || text === "TRUE" ? true : text;
    case 102:
      return text === "false" ? false : text;
    case 70:
      return text === "False" || text === "FALSE" ? false : text;
    case 111:
      return text === "on" ? true : text === "off" ? false : text;
    case 79:
      return text === "On" || text === "ON" ? true : text === "Off" || text === "OFF" ? false : text;
    default:
      return len === 0 ? null : text;
  }
}
function resolveNumber(text, c) {
  if (c >= 48 && c <= 57) {
    let i2 = 1;
    while (i2 < text.length && text.charCodeAt(i2) >= 48 && text.charCodeAt(i2) <= 57) i2++;
    if (i2 === text.length) {
      if (c !== 48 || i2 === 1) return Number(text);
    } else {
      const d = text.charCodeAt(i2);
      if (d !== 95 && d !== 46 && d !== 98 && d !== 120) return text;
    }
  }
  if (Y11_INT.test(text)) {
    const t = text.replace(/_/g, "");
    const sign = t.startsWith("-") ? -1 : 1;
    const body = t.replace(/^[-+]/, "");
    if (body.startsWith("0b")) return sign * parseInt(body.slice(2), 2);
    if (body.startsWith("0x")) return sign * parseInt(body.slice(2), 16);
    if (body.length > 1 && body.startsWith("0")) return sign * parseInt(body, 8);
    return sign * Number(body);
  }
  if (Y11_FLOAT.test(text)) {
    const t = text.replace(/_/g, "");
    if (/\.(inf|Inf|INF)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
    if (/nan/i.test(t)) return NaN;
    return Number(t);
  }
  return text;
}
var ANY_TAG = ["scalar", "sequence", "mapping"].flatMap(
  (kind) => ["tag:yaml.org,2002:", "!", ""].map((prefix) => new js_yaml_default.Type(prefix, { kind, multi: true, construct: (data) => data }))
);
var SCHEMA = js_yaml_default.FAILSAFE_SCHEMA.extend(ANY_TAG);
function skipSpace(src, i2, end) {
  while (i2 < end) {
    const c = src.charCodeAt(i2);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 65279) i2++;
    else if (c === 35) {
      while (i2 < end && src.charCodeAt(i2) !== 10 && src.charCodeAt(i2) !== 13) i2++;
    } else break;
  }
  return i2;
}
var NAME_END = /[\s,[\]{}]/;
function readProperties(src, i2, end) {
  const out = { at: i2 };
  for (; ; ) {
    i2 = skipSpace(src, i2, end);
    const c = src[i2];
    if (c !== "!" && c !== "&") break;
    let j = i2 + 1;
    if (c === "!" && src[j] === "<") {
      while (j < end && src[j] !== ">") j++;
      j++;
    } else {
      while (j < end && !NAME_END.test(src[j])) j++;
    }
    if (c === "!") out.tag = src.slice(i2, j);
    else out.anchor = src.slice(i2 + 1, j);
    i2 = j;
  }
  out.at = i2;
  return out;
}
function trimEnd(src, start, end) {
  while (end > start) {
    const c = src.charCodeAt(end - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    end--;
  }
  return end;
}
function keyText(key) {
  return key.kind === "scalar" ? key.text : `[${key.kind}]`;
}
function applyMerges(map2) {
  const isMerge = (p) => p.keyText === "<<" && p.key.kind === "scalar" && p.key.plain;
  if (!map2.pairs.some(isMerge)) return;
  const own = map2.pairs.filter((p) => !isMerge(p));
  const seen = new Set(own.map((p) => p.keyText));
  const merged = [];
  for (const p of map2.pairs) {
    if (!isMerge(p)) continue;
    const sources = p.value.kind === "seq" ? p.value.items : [p.value];
    for (const src of sources) {
      if (src.kind !== "map") continue;
      for (const q of src.pairs) {
        if (seen.has(q.keyText)) continue;
        seen.add(q.keyText);
        merged.push(q);
      }
    }
  }
  map2.pairs = [...own, ...merged];
}
var SCAN_PAIRS = 8;
function buildDocs(src, base, limits, problems, firstIndex) {
  const docs = [];
  const stack = [];
  let depth = 0;
  const anchors = /* @__PURE__ */ new Map();
  const maxExpanded = limits.maxExpandedNodes;
  let expanded = 0;
  const aliasLimit = (node) => new YamlBuildError({
    kind: "alias-limit",
    message: `the document expands to more than ${maxExpanded} nodes through aliases (a YAML alias bomb?); it was not analysed`,
    offset: node.start
  });
  const finishMap = (startAt, children) => {
    const map2 = { kind: "map", start: startAt + base, end: startAt + base, pairs: [] };
    if (children === null) return map2;
    const pairs2 = map2.pairs;
    let seen;
    let merges = false;
    for (let i2 = 0; i2 < children.length; i2 += 2) {
      const key = children[i2];
      const value = children[i2 + 1];
      if (value === void 0) {
        if (key.kind === "scalar" && key.value === null && key.text === "") break;
        const k2 = keyText(key);
        if (k2 === "<<") merges = true;
        pairs2.push({ key, keyText: k2, value: { kind: "scalar", start: key.end, end: key.end, text: "", value: null, plain: true } });
        continue;
      }
      const k = keyText(key);
      if (k === "<<") merges = true;
      else {
        let dup = false;
        if (seen !== void 0) dup = seen.has(k);
        else for (let j = 0; j < pairs2.length && !dup; j++) dup = pairs2[j].keyText === k;
        if (dup) {
          problems.push({
            kind: "duplicate-key",
            message: `the key "${k}" appears more than once in this mapping; Kubernetes keeps only the last value`,
            offset: key.start,
            endOffset: key.end
          });
        }
      }
      pairs2.push({ key, keyText: k, value });
      if (seen !== void 0) seen.add(k);
      else if (pairs2.length > SCAN_PAIRS) seen = new Set(pairs2.map((p) => p.keyText));
      if (value.end > map2.end) map2.end = value.end;
      if (key.end > map2.end) map2.end = key.end;
    }
    if (merges) applyMerges(map2);
    return map2;
  };
  const attach = (node, size, result) => {
    if (depth > 0) {
      const up = stack[depth - 1];
      if (up.children === null) {
        up.children = [node];
        up.first = result;
      } else up.children.push(node);
      up.size += size;
    } else docs.push({ index: firstIndex + docs.length, root: node });
  };
  const listener = (event, state) => {
    if (event === "open") {
      if (depth > limits.maxDepth) {
        throw new YamlBuildError({
          kind: "syntax",
          message: `nesting exceeded maxDepth (${limits.maxDepth})`,
          offset: state.position + base
        });
      }
      const f = stack[depth];
      if (f === void 0) stack.push({ open: state.position, children: null, first: void 0, size: 0 });
      else {
        f.open = state.position;
        f.children = null;
        f.first = void 0;
        f.size = 0;
      }
      depth++;
      return;
    }
    const frame = stack[--depth];
    const children = frame.children;
    const nChildren = children === null ? 0 : children.length;
    const close = state.position;
    const result = state.result;
    let at = skipSpace(src, frame.open, close);
    let tag;
    let propAnchor;
    const pc = src.charCodeAt(at);
    if (pc === 33 || pc === 38) {
      const props = readProperties(src, frame.open, close);
      at = props.at;
      tag = props.tag;
      propAnchor = props.anchor;
    }
    const st = state;
    let node;
    let size = 1;
    if (nChildren === 1 && result !== null && frame.first === result) {
      node = children[0];
      size = frame.size;
      expanded -= 1;
    } else if (state.kind === "mapping") {
      node = finishMap(at, children);
      size = 1 + frame.size;
    } else if (state.kind === "sequence") {
      const seq2 = { kind: "seq", start: at + base, end: at + base, items: children ?? [] };
      for (let i2 = 0; i2 < nChildren; i2++) if (children[i2].end > seq2.end) seq2.end = children[i2].end;
      node = seq2;
      size = 1 + frame.size;
    } else if (nChildren === 0 && src.charCodeAt(at) === 42) {
      let j = at + 1;
      while (j < close && !NAME_END.test(src[j])) j++;
      const name = src.slice(at + 1, j);
      const target = anchors.get(name);
      if (!target)
        throw new YamlBuildError({
          kind: "syntax",
          message: 'unknown alias (a plain value starting with "*" is read as an alias: quote it)',
          offset: at + base
        });
      expanded += target.size;
      if (expanded > maxExpanded) throw aliasLimit(target.node);
      attach(target.node, target.size, result);
      return;
    } else {
      const text = typeof result === "string" ? result : "";
      const c = src.charCodeAt(at);
      let start = at;
      let end = trimEnd(src, at, close);
      let plain = true;
      if (c === 34 || c === 39) {
        plain = false;
        start = at + 1;
        end = Math.max(start, end - 1);
      } else if (c === 124 || c === 62) {
        plain = false;
        const nl = src.indexOf("\n", at);
        start = nl < 0 || nl >= close ? end : nl + 1;
      } else if (result === null) {
        end = start;
      }
      const scalar = {
        kind: "scalar",
        start: start + base,
        end: end + base,
        text,
        value: plain ? resolveYaml11(text) : text,
        plain
      };
      if (tag !== void 0) {
        if (/^!!(bool|int|float|null)$/.test(tag)) {
          const r2 = resolveYaml11(text);
          scalar.value = typeof r2 === "string" ? text : r2;
        } else if (!STANDARD_TAG.test(tag)) {
          scalar.tag = tag;
          scalar.value = text;
        } else scalar.value = text === "" && tag === "!!null" ? null : tag === "!!str" ? text : scalar.value;
      }
      node = scalar;
    }
    if (tag !== void 0 && node.kind !== "scalar" && !STANDARD_TAG.test(tag)) node.tag = tag;
    const anchor = propAnchor ?? st.anchor ?? void 0;
    if (anchor) anchors.set(anchor, { node, size });
    expanded += 1;
    if (expanded > maxExpanded) throw aliasLimit(node);
    attach(node, size, result);
  };
  js_yaml_default.loadAll(src, void 0, { schema: SCHEMA, json: true, listener });
  return docs;
}
function reasonWithoutContent(reason) {
  const kind = /^unidentified alias/.test(reason) ? 'unidentified alias (a plain value starting with "*" is read as an alias: quote it)' : /^unknown tag/.test(reason) ? 'unknown tag (a plain value starting with "!" is read as a tag: quote it)' : reason.replace(/"[^"\n]*"?|'[^'\n]*'?/g, "\xAB\u2026\xBB").replace(/!<[^>\n]*>?|![^\s,]*/g, "\xABtag\xBB").replace(/\*[^\s,]+/g, "\xABalias\xBB");
  return kind.slice(0, 200);
}
function syntaxProblem(err, base) {
  if (err instanceof YamlBuildError) return err.problem;
  const e = err;
  const reason = typeof e.reason === "string" && e.reason ? reasonWithoutContent(e.reason) : "invalid YAML";
  const pos = typeof e.mark?.position === "number" ? e.mark.position : 0;
  return { kind: "syntax", message: reason, offset: pos + base };
}
var DOC_MARKER = /^---(?=[ \t\r\n]|$)/gm;
var CHUNKED_ABOVE = 1 << 20;
var PROLOGUE = /^(?:[ \t]*(?:[%#][^\r\n]*)?(?:\r?\n|\r(?!\n)))*$/;
function parseYaml(text, limits = {}) {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  let first;
  if (text.length <= CHUNKED_ABOVE) {
    const problems2 = [];
    try {
      return { docs: buildDocs(text, 0, lim, problems2, 0), problems: problems2 };
    } catch (err) {
      first = err;
    }
  }
  const starts = [0];
  for (const m of text.matchAll(DOC_MARKER)) if (m.index > 0) starts.push(m.index);
  if (starts.length > 1 && PROLOGUE.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  if (starts.length === 1 && first !== void 0) return { docs: [], problems: [syntaxProblem(first, 0)] };
  const problems = [];
  const docs = [];
  for (let i2 = 0; i2 < starts.length; i2++) {
    const a = starts[i2];
    const b = i2 + 1 < starts.length ? starts[i2 + 1] : text.length;
    const chunk = text.slice(a, b);
    try {
      for (const d of buildDocs(chunk, a, lim, problems, docs.length)) docs.push(d);
    } catch (e) {
      problems.push(syntaxProblem(e, a));
      docs.push({ index: docs.length, root: null });
    }
  }
  return { docs, problems };
}
function get(node, key) {
  if (!node || node.kind !== "map") return void 0;
  for (let i2 = node.pairs.length - 1; i2 >= 0; i2--) if (node.pairs[i2].keyText === key) return node.pairs[i2].value;
  return void 0;
}
function getPair(node, key) {
  if (!node || node.kind !== "map") return void 0;
  for (let i2 = node.pairs.length - 1; i2 >= 0; i2--) if (node.pairs[i2].keyText === key) return node.pairs[i2];
  return void 0;
}
function asMap(node) {
  return node?.kind === "map" ? node : void 0;
}
function asItems(node) {
  return node?.kind === "seq" ? node.items : [];
}
function asText(node) {
  return node?.kind === "scalar" && node.value !== null ? node.text : void 0;
}
function asBool(node) {
  if (node?.kind !== "scalar") return void 0;
  if (typeof node.value === "boolean") return node.value;
  const t = node.text.toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  return void 0;
}
function asInt(node) {
  if (node?.kind !== "scalar") return void 0;
  if (typeof node.value === "number" && Number.isInteger(node.value)) return node.value;
  if (/^-?\d+$/.test(node.text.trim())) return Number(node.text.trim());
  return void 0;
}

// src/parse/workloads.ts
var POD_SPEC_PATHS = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"]
};
var WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);
var SHARED_SECURITY_FIELDS = [
  "runAsUser",
  "runAsGroup",
  "runAsNonRoot",
  "seLinuxOptions",
  "seccompProfile",
  "appArmorProfile",
  "windowsOptions"
];
function effective(c, field) {
  const own = getPair(c.securityContext, field);
  if (own) return { node: own.value, pair: own, source: "container" };
  const pod = getPair(c.workload.podSecurityContext, field);
  if (pod) return { node: pod.value, pair: pod, source: "pod" };
  return void 0;
}
function containerField(c, field) {
  return getPair(c.securityContext, field);
}
var KIND_WORD = {
  containers: "container",
  initContainers: "init container",
  ephemeralContainers: "ephemeral container"
};
function podSpecOf(obj) {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return void 0;
  let node = obj.node;
  let meta = asMap(get(obj.node, "metadata"));
  for (let i2 = 0; i2 < path.length; i2++) {
    node = get(node, path[i2]);
    if (path[i2] === "template") meta = asMap(get(node, "metadata"));
  }
  const spec = asMap(node);
  return spec ? { spec, meta } : void 0;
}
function workloadOf(obj) {
  const found = podSpecOf(obj);
  if (!found) return void 0;
  const w = {
    object: obj,
    label: obj.label,
    podSpec: found.spec,
    podMeta: found.meta,
    podSecurityContext: asMap(get(found.spec, "securityContext")),
    containers: []
  };
  for (const kind of ["initContainers", "containers", "ephemeralContainers"]) {
    asItems(get(found.spec, kind)).forEach((item, i2) => {
      if (item.kind !== "map") return;
      const namePair = getPair(item, "name");
      const name = asText(namePair?.value) ?? `#${i2 + 1}`;
      w.containers.push({
        workload: w,
        node: item,
        kind,
        name,
        anchor: namePair ?? item,
        securityContext: asMap(get(item, "securityContext")),
        label: `${obj.label} ${KIND_WORD[kind]} "${name}"`,
        image: get(item, "image")
      });
    });
  }
  return w;
}

// src/parse/positions.ts
var LineIndex = class {
  /** Offsets at which each line starts. */
  lineStarts;
  length;
  constructor(text) {
    const starts = [0];
    for (let i2 = 0; i2 < text.length; i2++) {
      const c = text.charCodeAt(i2);
      if (c === 10) starts.push(i2 + 1);
      else if (c === 13) {
        if (text.charCodeAt(i2 + 1) === 10) i2++;
        starts.push(i2 + 1);
      }
    }
    this.lineStarts = starts;
    this.length = text.length;
  }
  get lineCount() {
    return this.lineStarts.length;
  }
  /** Position of an offset (clamped into the text). */
  position(offset) {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo] + 1 };
  }
  /** Range from two offsets (end exclusive). */
  range(start, end) {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
  /** Offset where a 1-based line starts. */
  lineStart(line) {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }
  /** Offset of the end of a 1-based line, before its line break. */
  lineEnd(line, text) {
    let end = line < this.lineStarts.length ? this.lineStarts[line] : this.length;
    while (end > this.lineStart(line) && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }
  /** Range covering a whole 1-based line (without its line break). */
  lineRange(line, text) {
    return this.range(this.lineStart(line), this.lineEnd(line, text));
  }
};

// src/parse/source.ts
var UTF8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
var UTF8_STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function decode(buf) {
  if (buf.length >= 2 && buf[0] === 255 && buf[1] === 254) {
    return { ok: true, text: new TextDecoder("utf-16le").decode(buf.subarray(2)), encoding: "utf-16le" };
  }
  if (buf.length >= 2 && buf[0] === 254 && buf[1] === 255) {
    return { ok: true, text: new TextDecoder("utf-16be").decode(buf.subarray(2)), encoding: "utf-16be" };
  }
  const body = buf.length >= 3 && buf[0] === 239 && buf[1] === 187 && buf[2] === 191 ? buf.subarray(3) : buf;
  if (body.includes(0)) return { ok: false, reason: "it contains NUL bytes (a binary file)" };
  try {
    return { ok: true, text: UTF8_STRICT.decode(body), encoding: "utf-8" };
  } catch {
    const text = UTF8.decode(body);
    return { ok: true, text, encoding: "utf-8", invalidAt: Math.max(0, text.indexOf("\uFFFD")) };
  }
}
function sourceFile(absPath, path, text) {
  return { absPath, path, text, lines: new LineIndex(text) };
}
function rangeOf(file, at) {
  if ("start" in at && typeof at.start === "object") return at;
  if ("key" in at) {
    const key = widened(file, at.key);
    const value = widened(file, at.value);
    return file.lines.range(key.s, Math.max(value.e, key.e));
  }
  const node = widened(file, at);
  return file.lines.range(node.s, node.e);
}
function widened(file, node) {
  const ch = file.text[node.start - 1];
  if (node.kind === "scalar" && (ch === '"' || ch === "'") && file.text[node.end] === ch) return { s: node.start - 1, e: node.end + 1 };
  return { s: node.start, e: node.end };
}
var detachedFiles = /* @__PURE__ */ new WeakMap();
function detached(file) {
  let d = detachedFiles.get(file);
  if (!d) {
    d = sourceFile(file.absPath, file.path, "");
    detachedFiles.set(file, d);
  }
  return d;
}

// src/rules/util.ts
function forEachContainer(file, fn) {
  if (file.kind !== "kubernetes") return;
  for (const w of file.workloads) for (const c of w.containers) fn(c, w);
}
function forEachWorkload(file, fn) {
  if (file.kind !== "kubernetes") return;
  for (const w of file.workloads) fn(w);
}
function isYamlFile(file) {
  return file.kind !== "dockerfile";
}
function isDockerFile(file) {
  return file.kind === "dockerfile";
}
function normalizeCapability(name) {
  const up = name.trim().toUpperCase();
  return up.startsWith("CAP_") ? up.slice(4) : up;
}
function capabilityItems(c, list) {
  const out = [];
  for (const node of asItems(get(get(c.securityContext, "capabilities"), list))) {
    const text = asText(node);
    if (text !== void 0 && text.trim() !== "") out.push({ node, name: normalizeCapability(text) });
  }
  return out;
}
function isWindowsPod(w) {
  return asText(get(get(w.podSpec, "os"), "name"))?.toLowerCase() === "windows";
}
function podLevelHint(c, field) {
  return getPair(c.workload.podSecurityContext, field) ? ` (the ${field} in the pod-level securityContext has no effect: it only works per container)` : "";
}
function spot(file, at) {
  return { file: detached(file), at: rangeOf(file, at) };
}

// src/rules/capabilities-not-dropped.ts
var rule = {
  meta: {
    id: "capabilities-not-dropped",
    title: "Capabilities not dropped",
    level: "warning",
    securitySeverity: 5.5,
    precision: "very-high",
    description: "A container does not drop ALL Linux capabilities (securityContext.capabilities.drop).",
    why: 'Container runtimes give every container a default set of capabilities (CHOWN, NET_RAW, SETUID, MKNOD...). Most applications need none of them, and some are useful to an attacker: `NET_RAW` allows ARP and DNS spoofing inside the cluster network. Microsoft\'s "Best practices for pod security in AKS" asks for the least privileges needed; the Pod Security Standards *restricted* profile requires `drop: ["ALL"]`.',
    fix: 'Drop everything, then add back only what the process needs:\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.",
    messages: {
      missing: "{container} does not drop ALL capabilities{hint}.",
      spelling: '{container} drops "{value}": write it as "ALL", the only spelling Pod Security admission accepts.',
      incomplete: "{container} drops some capabilities but not ALL: the rest of the runtime's default set stays."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const drops = capabilityItems(c, "drop");
      if (drops.some((i2) => i2.node.kind === "scalar" && i2.node.text === "ALL")) return;
      const spelled = drops.find((i2) => i2.name === "ALL");
      if (spelled) {
        const value = spelled.node.kind === "scalar" ? spelled.node.text : "ALL";
        ctx.report({ messageId: "spelling", data: { container: c.label, value }, at: spelled.node, identity: c.label, value });
        return;
      }
      const capabilities = containerField(c, "capabilities");
      const drop = getPair(capabilities?.value, "drop");
      if (drop) {
        ctx.report({ messageId: "incomplete", data: { container: c.label }, at: drop, identity: c.label });
        return;
      }
      ctx.report({
        messageId: "missing",
        data: { container: c.label, hint: podLevelHint(c, "capabilities") },
        at: capabilities ?? c.anchor,
        identity: c.label
      });
    });
  }
};

// src/rules/dangerous-capabilities.ts
var BASELINE_CAPABILITIES = /* @__PURE__ */ new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT"
]);
var rule2 = {
  meta: {
    id: "dangerous-capabilities",
    title: "Dangerous capability added",
    level: "error",
    securitySeverity: 8,
    precision: "very-high",
    description: "A container adds a Linux capability outside the Pod Security Standards baseline set (NET_ADMIN, SYS_ADMIN, SYS_TIME, ALL...).",
    why: "Linux capabilities split root's power into pieces; some pieces are most of it. `SYS_ADMIN` is close to full root, `NET_ADMIN` lets a container rewrite the node's network (and sniff or redirect traffic when combined with host networking), `SYS_TIME` changes the clock of the whole node, `SYS_PTRACE` reads other processes' memory, and `ALL` is every capability at once. Microsoft's \"Best practices for pod security in AKS\" asks to assign the least privileges needed; the Pod Security Standards *baseline* profile allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.",
    fix: 'Drop everything and add back only what the process really needs (usually nothing; `NET_BIND_SERVICE` to bind a port below 1024):\n\n```yaml\nsecurityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n```\n\nIf the workload needs to change the node (a CNI plugin, a time daemon), run it as a reviewed system component and suppress the finding with a justification.',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      added: "{container} adds the capability {capability}, which is outside the Pod Security Standards baseline set.",
      all: "{container} adds ALL capabilities: it holds most of root's power on the node."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const item of capabilityItems(c, "add")) {
        if (BASELINE_CAPABILITIES.has(item.name)) continue;
        const messageId = item.name === "ALL" ? "all" : "added";
        ctx.report({ messageId, data: { container: c.label, capability: item.name }, at: item.node, identity: c.label, value: item.name });
      }
    });
  }
};

// src/parse/dockerfile.ts
var import_dockerfile_ast = __toESM(require_main(), 1);
function dfRange(r2) {
  return {
    start: { line: r2.start.line + 1, column: r2.start.character + 1 },
    end: { line: r2.end.line + 1, column: r2.end.character + 1 }
  };
}
var VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
function substitute(text, vars) {
  let unresolved = false;
  const value = text.replace(
    VAR,
    (whole, braced, op, word, plain) => {
      const name = braced ?? plain ?? "";
      const v = vars.get(name);
      const set2 = v !== void 0;
      if (op === ":-") return set2 && v !== "" ? v : word ?? "";
      if (op === "-") return set2 ? v : word ?? "";
      if (op === ":+") return set2 && v !== "" ? word ?? "" : "";
      if (op === "+") return set2 ? word ?? "" : "";
      if (!set2) {
        unresolved = true;
        return whole;
      }
      return v;
    }
  );
  return { value: value.length > MAX_SUBSTITUTED ? value.slice(0, MAX_SUBSTITUTED) : value, unresolved };
}
var MAX_SUBSTITUTED = 4096;
function fromWords(from) {
  return from.getArguments().map((a) => a.getValue());
}
function parseDockerfile(text) {
  const ast = import_dockerfile_ast.DockerfileParser.parse(text);
  const globalArgs = /* @__PURE__ */ new Map();
  for (const arg of ast.getInitialARGs()) {
    const prop = arg.getProperty();
    const name = prop?.getName();
    const value = prop?.getValue() ?? void 0;
    if (name) globalArgs.set(name, value === void 0 ? void 0 : substitute(value, globalArgs).value);
  }
  const stages = [];
  const byAlias = /* @__PURE__ */ new Map();
  let current;
  for (const ins of ast.getInstructions()) {
    if (ins.getKeyword() === "FROM") {
      const from = ins;
      const words = fromWords(from);
      const rawImage = words[0] ?? "";
      const alias = words.length >= 3 && words[1].toLowerCase() === "as" ? words[2].toLowerCase() : void 0;
      const { value, unresolved } = substitute(rawImage, globalArgs);
      const parent = byAlias.get(value.toLowerCase());
      current = { index: stages.length, from, alias, rawImage, image: value, unresolved, parent, instructions: [] };
      stages.push(current);
      if (alias) byAlias.set(alias, current);
    } else if (current) {
      current.instructions.push(ins);
    }
  }
  return { ast, stages, globalArgs };
}
function dockerfileProblems(model) {
  const problems = [];
  for (const d of model.ast.getDirectives()) {
    if (d.getName().toLowerCase() !== "escape") continue;
    const value = d.getValue();
    if (value === "\\" || value === "`") continue;
    problems.push({
      message: `the escape directive must be a backslash or a backtick, not ${JSON.stringify(value)} (BuildKit rejects it)`,
      range: d.getValueRange()
    });
  }
  for (const ins of model.ast.getInstructions()) {
    const withHeredocs = ins;
    if (typeof withHeredocs.getHeredocs !== "function") continue;
    for (const h of withHeredocs.getHeredocs()) {
      if (h.getDelimiterRange() !== null) continue;
      problems.push({
        message: `the here-document <<${h.getName()} is never closed (no line "${h.getName()}" follows), so everything after it is part of the heredoc`,
        range: h.getStartRange()
      });
    }
  }
  return problems;
}
function finalStage(model) {
  return model.stages[model.stages.length - 1];
}

// src/image/reference.ts
var DOCKER_HUB = "docker.io";
var NAME_TOTAL_MAX = 255;
var DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
var TAG = /^[\w][\w.-]{0,127}$/;
var DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
function invalid(original, reason) {
  return { ok: false, original, reason };
}
function isRegistry(component) {
  return component.includes(".") || component.includes(":") || component === "localhost";
}
var parsedCache = /* @__PURE__ */ new Map();
var PARSED_CACHE_MAX = 4096;
function parseReference(input) {
  let parsed = parsedCache.get(input);
  if (parsed) return parsed;
  if (parsedCache.size >= PARSED_CACHE_MAX) parsedCache.clear();
  parsed = Object.freeze(parseUncached(input));
  parsedCache.set(input, parsed);
  return parsed;
}
function parseUncached(input) {
  const ref = input;
  if (ref === "") return invalid(input, "it is empty");
  if (/\s/.test(ref)) return invalid(input, "it contains whitespace");
  let rest = ref;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return invalid(input, `"@${digest}" is not a valid digest (expected @sha256: and 64 hex digits)`);
    const [algo, hex] = digest.split(":");
    if (algo === "sha256" && !/^[a-f0-9]{64}$/.test(hex)) return invalid(input, "a sha256 digest must be 64 lowercase hex digits");
    if (algo === "sha512" && !/^[a-f0-9]{128}$/.test(hex)) return invalid(input, "a sha512 digest must be 128 lowercase hex digits");
  }
  let tag;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      return invalid(input, `":${tag}" is not a valid tag (letters, digits, "_", "." and "-", up to 128, not starting with "." or "-")`);
  }
  if (rest === "") return invalid(input, "it has no repository name");
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isRegistry(parts[0])) {
    registry = parts.shift();
    if (!DOMAIN.test(registry)) return invalid(input, `"${registry}" is not a valid registry host`);
    registry = registry.toLowerCase();
    if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  }
  for (const p of parts) {
    if (p === "") return invalid(input, 'it has an empty path component ("//" or a leading or trailing "/")');
    if (p !== p.toLowerCase()) return invalid(input, `repository names must be lowercase ("${p}")`);
    if (!PATH_COMPONENT.test(p))
      return invalid(input, `"${p}" is not a valid repository name component (lowercase letters, digits and single separators . _ __ -)`);
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  const path = parts.join("/");
  const name = `${registry}/${path}`;
  if (rest.length > NAME_TOTAL_MAX) return invalid(input, `the repository name is longer than ${NAME_TOTAL_MAX} characters`);
  return { ok: true, original: input, registry, path, name, tag, digest };
}
function familiarName(name) {
  if (name.startsWith(`${DOCKER_HUB}/library/`) && name.split("/").length === 3) return name.slice(`${DOCKER_HUB}/library/`.length);
  if (name.startsWith(`${DOCKER_HUB}/`)) return name.slice(DOCKER_HUB.length + 1);
  return name;
}

// src/image/user.ts
function variablesBefore(model, stage, before) {
  const vars = /* @__PURE__ */ new Map();
  for (const ins of stage.instructions) {
    if (ins === before) break;
    const keyword = ins.getKeyword();
    if (keyword === "ARG") {
      const prop = ins.getProperty();
      const name = prop?.getName();
      if (name) vars.set(name, prop?.getValue() ?? model.globalArgs.get(name));
    } else if (keyword === "ENV") {
      for (const prop of ins.getProperties()) vars.set(prop.getName(), prop.getValue() ?? "");
    }
  }
  return vars;
}
function classifyUser(value) {
  const user = value.trim().replace(/^(["'])(.*)\1$/, "$2").split(":")[0].trim().replace(/^(["'])(.*)\1$/, "$2");
  if (["root", "containeradministrator"].includes(user.toLowerCase()) || /^\+?0+$/.test(user)) return "root";
  return /^\+?\d+$/.test(user) ? "numeric" : "named";
}
function bottom(stage) {
  let s2 = stage;
  while (s2.parent) s2 = s2.parent;
  return s2;
}
function finalUser(model) {
  const last = finalStage(model);
  if (!last || last.rawImage === "") return void 0;
  const base = bottom(last);
  const scratch = base.image.toLowerCase() === "scratch";
  for (let s2 = last; s2; s2 = s2.parent) {
    const users = s2.instructions.filter((i2) => i2.getKeyword() === "USER" && (i2.getArgumentsContent()?.trim() ?? "") !== "");
    const ins = users[users.length - 1];
    if (!ins) continue;
    const raw = ins.getArgumentsContent()?.trim() ?? "";
    const { value, unresolved } = substitute(raw, variablesBefore(model, s2, ins));
    const range2 = dfRange(ins.getRange());
    if (unresolved || value.includes("$")) return { kind: "unresolved", user: value, range: range2, stage: s2, scratch };
    return { kind: classifyUser(value), user: value, range: range2, stage: s2, scratch };
  }
  const range = dfRange(last.from.getRange());
  const ref = scratch || base.unresolved ? void 0 : parseReference(base.image);
  const nonRoot = ref?.ok === true && ref.tag !== void 0 && /(^|[-_.])nonroot($|[-_.])/.test(ref.tag);
  return { kind: nonRoot ? "baseNonRoot" : "default", user: void 0, range, stage: last, scratch };
}

// src/rules/dockerfile-root-user.ts
var rule3 = {
  meta: {
    id: "dockerfile-root-user",
    title: "Dockerfile image runs as root",
    level: "error",
    securitySeverity: 7,
    precision: "high",
    description: "The final stage's effective user is root: no USER in the final stage or the stages it builds on, or a last USER root/0. A named user is accepted with a note.",
    why: 'The AKS pod security practice says containers should run as a defined, non-root user (Microsoft, "Best practices for pod security in AKS"); almost every base image defaults to root. Root in the container is root on the node after an escape. Kubernetes can only prove `runAsNonRoot` when the image user is a number: for a name the kubelet refuses to start the pod.',
    fix: "Do the steps that need root first, then switch to a numeric non-root user in the final stage:\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nRUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home app\nCOPY --from=build /out /app\nUSER 10001:10001\n```\n\nOn `FROM scratch` there is no /etc/passwd: use `USER 65532:65532`.",
    tags: ["security", "dockerfile", "pod-security"],
    kinds: ["dockerfile"],
    messages: {
      noUser: "The final stage (FROM {image}) sets no USER, nor does any stage it builds on, so the image runs as root. Add a non-root numeric USER at the end, e.g. USER 10001.",
      rootUser: 'The final stage runs as root: "USER {user}" is its last USER. Switch back to a non-root numeric user after the steps that need root, e.g. USER 10001.',
      namedUser: 'The final stage runs as the named user "{user}": fine, but Kubernetes cannot verify runAsNonRoot for a name. Use its numeric UID (USER 10001, see id -u {user}) or set runAsUser in the manifest.',
      namedOnScratch: 'The final stage is FROM scratch and runs as the named user "{user}", but scratch has no /etc/passwd, so the container fails to start. Use a numeric UID, e.g. USER 65532:65532.'
    }
  },
  check(file, ctx) {
    if (file.kind !== "dockerfile") return;
    const u = finalUser(file.model);
    if (!u) return;
    const identity = "final stage user";
    if (u.kind === "default") {
      const image = u.stage.rawImage;
      ctx.report({ messageId: "noUser", data: { image }, at: u.range, identity });
    } else if (u.kind === "root") {
      ctx.report({ messageId: "rootUser", data: { user: u.user ?? "" }, at: u.range, identity, value: u.user });
    } else if (u.kind === "named") {
      const user = (u.user ?? "").split(":")[0];
      if (u.scratch) ctx.report({ messageId: "namedOnScratch", data: { user }, at: u.range, identity, value: user });
      else ctx.report({ messageId: "namedUser", data: { user }, at: u.range, identity, value: user, level: "note" });
    }
  }
};

// src/rules/dockerfile-sudo.ts
var SUDO = /(^|[;&|(`\n]|\$\(|\b(?:then|do|else|exec|xargs|env|time|nohup)[ \t]+)([ \t]*)(sudo)(?=[ \t\n;&|)]|$)/g;
var EXEC_SUDO = /^\[\s*"(sudo)"/;
var rule4 = {
  meta: {
    id: "dockerfile-sudo",
    title: "sudo in a Dockerfile RUN",
    level: "warning",
    securitySeverity: 5,
    precision: "high",
    description: "A RUN instruction calls sudo (shell or exec form, continuations and heredocs included).",
    why: 'sudo needs a TTY and a sudoers entry, behaves differently across base images and hides which steps need root. An image that keeps sudo for its app user lets anyone who gets a shell become root, undoing the non-root user the AKS pod security practice asks for (Microsoft, "Best practices for pod security in AKS").',
    fix: "Run the privileged steps as root before switching users, then drop to the app user:\n\n```dockerfile\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001\n```",
    tags: ["security", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      sudo: "RUN calls sudo. Run the step as root before USER switches away (USER root ... USER 10001) instead of keeping sudo in the image."
    }
  },
  check(file, ctx) {
    if (file.kind !== "dockerfile") return;
    const src = file.source;
    const escape2 = file.model.ast.getEscapeCharacter();
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== "RUN") continue;
      const args = ins.getArguments();
      const first = args[0];
      if (!first) continue;
      const startPos = dfRange(first.getRange()).start;
      const endPos = dfRange(ins.getRange()).end;
      const start = src.lines.lineStart(startPos.line) + startPos.column - 1;
      const end = src.lines.lineStart(endPos.line) + endPos.column - 1;
      const raw = src.text.slice(start, end);
      const cont = new RegExp(`${escape2 === "\\" ? "\\\\" : "`"}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n)*`, "g");
      const text = raw.replace(cont, (m) => " ".repeat(m.length));
      const hits = [];
      const exec = EXEC_SUDO.exec(text);
      if (exec) hits.push(text.indexOf("sudo"));
      else for (const m of text.matchAll(SUDO)) hits.push(m.index + m[1].length + m[2].length);
      for (const offset of hits) {
        const at = src.lines.range(start + offset, start + offset + 4);
        ctx.report({ messageId: "sudo", at, identity: "RUN sudo" });
      }
    }
  }
};

// src/rules/duplicate-key.ts
var rule5 = {
  meta: {
    id: "duplicate-key",
    title: "Duplicate YAML key",
    level: "warning",
    securitySeverity: 4,
    precision: "very-high",
    description: "A YAML mapping defines the same key twice; only the last value takes effect.",
    why: "Kubernetes keeps the last of duplicate keys, so a reviewer who reads `privileged: false` may miss a later `privileged: true`. podguard checks the value that takes effect.",
    fix: "Keep one occurrence of the key:\n\n```yaml\nsecurityContext:\n  privileged: false\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci"],
    messages: { duplicate: "{message}." },
    system: true
  },
  check() {
  }
};

// src/rules/expired-suppression.ts
var rule6 = {
  meta: {
    id: "expired-suppression",
    title: "Expired suppression",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A suppression with until=YYYY-MM-DD is past its date: it no longer suppresses anything.",
    why: 'Temporary exceptions ("until the vendor ships a non-root image") are only safe when they end. Past its date the suppression stops working, the findings it covered are reported again, and this finding says why.',
    fix: "Fix the findings and delete the suppression, or renew it with a new date and an up-to-date reason:\n\n```yaml\n# podguard-ignore run-as-root until=2027-09-30 -- vendor v2 slipped to Q3 (TICKET-123)\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      expired: "This {form} for {rules} expired on {until}, so the findings it covered are reported again: fix them, or renew it with a new date and reason."
    },
    system: true
  },
  check() {
  }
};

// src/rules/file-error.ts
var rule7 = {
  meta: {
    id: "file-error",
    title: "File skipped or not readable as text",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A file that podguard would check was skipped (too large, binary, unreadable, a link out of the workspace) or is not valid UTF-8.",
    why: "A skipped file is not checked. podguard says so instead of passing it silently, so a gate cannot be bypassed by a file it could not read.",
    fix: "Save the file as UTF-8, keep manifests under the size limit (`maxFileBytes` in `.podguard.yml`), and replace links that leave the repository with real files:\n\n```yaml\n# .podguard.yml\nmaxFileBytes: 10485760\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      skipped: "This file was not scanned: {reason}.",
      encoding: "This file is not valid UTF-8 (first bad byte on line {line}); it was scanned with the bad bytes replaced."
    },
    system: true
  },
  check() {
  }
};

// src/rules/host-namespaces.ts
var NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"];
var rule8 = {
  meta: {
    id: "host-namespaces",
    title: "Host namespace shared",
    level: "error",
    securitySeverity: 8,
    precision: "very-high",
    description: "A pod sets hostNetwork, hostPID or hostIPC to true.",
    why: "Namespaces are what keeps a container's view of the node small. With `hostNetwork` the pod sees every interface of the node, can reach services bound to localhost (the kubelet, cloud metadata proxies) and sniff traffic; with `hostPID` it sees and can signal (or, with ptrace, read) every process on the node, including other pods' secrets in their environment; with `hostIPC` it shares the node's shared memory. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids all three.",
    fix: "Remove the field (the default is false) and expose the pod through a Service instead of the node's network:\n\n```yaml\nspec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostNetwork: "{workload} uses the node's network namespace (hostNetwork: true): it sees all of the node's traffic and local services.",
      hostPID: "{workload} uses the node's process namespace (hostPID: true): it sees every process on the node.",
      hostIPC: "{workload} uses the node's IPC namespace (hostIPC: true): it shares memory with the node's processes."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const field of NAMESPACES) {
        const pair = getPair(w.podSpec, field);
        if (pair && asBool(pair.value) === true) {
          ctx.report({ messageId: field, data: { workload: w.label }, at: pair, identity: w.label });
        }
      }
    });
  }
};

// src/rules/host-path.ts
var RUNTIME_SOCKETS = /* @__PURE__ */ new Set(["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "dockershim.sock", "podman.sock"]);
var NODE_CONFIG = "the node's configuration and credentials";
var RUNTIME_STATE = "the container runtime's sockets and state";
var SENSITIVE_TREES = /* @__PURE__ */ new Map([
  // First match names what a parent directory exposes, so the worst come first.
  ["/var/lib/kubelet", "the volumes, secrets and tokens of every pod on the node"],
  ["/var/lib/docker", "every container's file system"],
  ["/var/lib/containerd", "every container's file system"],
  ["/var/lib/etcd", "the cluster's database, with every Secret"],
  ["/proc", "the node's processes and kernel settings"],
  ["/sys", "the node's kernel and device settings"],
  ["/dev", "the node's devices"],
  ["/boot", "the node's kernel and boot loader"],
  ["/root", "the node's root home directory"],
  ["/var/run", RUNTIME_STATE],
  ["/run", RUNTIME_STATE],
  ["/etc/kubernetes", "the node's Kubernetes credentials and certificates"],
  ["/etc/ssh", NODE_CONFIG],
  ["/etc/sudoers.d", NODE_CONFIG],
  ["/etc/systemd", NODE_CONFIG],
  ["/etc/containerd", "the container runtime's configuration"],
  ["/etc/docker", "the container runtime's configuration"],
  ["/etc/crio", "the container runtime's configuration"],
  ["/etc/cron.d", NODE_CONFIG]
]);
var SENSITIVE_PATHS = /* @__PURE__ */ new Map([
  ["/", "the node's whole file system"],
  ["/etc", NODE_CONFIG],
  ["/etc/shadow", NODE_CONFIG],
  ["/etc/gshadow", NODE_CONFIG],
  ["/etc/passwd", NODE_CONFIG],
  ["/etc/sudoers", NODE_CONFIG],
  ["/etc/crontab", NODE_CONFIG]
]);
var RUN_EXCEPTIONS = /* @__PURE__ */ new Set(["/run/xtables.lock", "/var/run/xtables.lock"]);
function normalizePath(raw) {
  if (!raw.startsWith("/")) return void 0;
  const parts = [];
  for (const seg of raw.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}
var isUnder = (path, tree) => path === tree || path.startsWith(`${tree}/`);
function classify(path) {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (RUNTIME_SOCKETS.has(base)) return { kind: "runtimeSocket", holds: "" };
  if (RUN_EXCEPTIONS.has(path)) return { kind: "other", holds: "" };
  const exact = SENSITIVE_PATHS.get(path);
  if (exact) return { kind: "sensitive", holds: exact };
  for (const [tree, holds] of SENSITIVE_TREES) if (isUnder(path, tree)) return { kind: "sensitive", holds };
  for (const t of [...SENSITIVE_TREES.keys(), ...SENSITIVE_PATHS.keys()]) {
    if (t !== path && isUnder(t, path)) return { kind: "sensitive", holds: `${t} among others` };
  }
  return { kind: "other", holds: "" };
}
function mountedBy(w, volume) {
  const names = w.containers.filter((c) => asItems(get(c.node, "volumeMounts")).some((m) => asText(get(m, "name")) === volume)).map((c) => `"${c.name}"`);
  if (!names.length) return "not mounted by any container";
  return `mounted by container${names.length > 1 ? "s" : ""} ${names.join(", ")}`;
}
var rule9 = {
  meta: {
    id: "host-path",
    title: "Host path mounted",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "A pod mounts a hostPath volume: an error for container runtime sockets and sensitive node paths (/, /etc, /proc, /sys, /dev, /var/run, /var/lib/kubelet...), a warning for any other host path.",
    why: "A `hostPath` volume gives the pod a piece of the node's file system. The container runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`) lets the pod start a privileged container on the node: a full node takeover. `/etc`, `/root`, `/var/lib/kubelet` hold the node's and other pods' credentials; `/proc`, `/sys` and `/dev` reach the kernel and devices; a parent such as `/var` or `/` exposes all of them. Microsoft's \"Best practices for pod security in AKS\" asks to limit access to the underlying node's processes and services; the Pod Security Standards *baseline* profile forbids hostPath volumes altogether.",
    fix: "Use a volume that does not touch the node: `emptyDir` for scratch space, a `configMap`/`secret` for configuration, a PersistentVolumeClaim for data:\n\n```yaml\nvolumes:\n  - name: cache\n    emptyDir: {}\n```\n\nIf a node agent really needs a host path, mount the narrowest path, read-only (`readOnly: true` on the volumeMount), and suppress the finding with a justification.",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      runtimeSocket: '{workload} volume "{volume}" mounts the container runtime socket {path} ({mounts}): it can start privileged containers on the node.',
      sensitive: '{workload} volume "{volume}" mounts the host path {path}, which exposes {holds} ({mounts}).',
      other: '{workload} volume "{volume}" mounts the host path {path} ({mounts}).'
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const vol of asItems(get(w.podSpec, "volumes"))) {
        const hostPath = get(vol, "hostPath");
        if (!hostPath) continue;
        const volume = asText(get(vol, "name")) ?? "(unnamed)";
        const pathPair = getPair(hostPath, "path");
        const raw = asText(pathPair?.value) ?? "";
        const path = normalizePath(raw);
        const { kind, holds } = path === void 0 ? { kind: "other", holds: "" } : classify(path);
        const shown = !raw ? "(no path)" : path && path !== raw && path !== raw.replace(/\/+$/, "") ? `${raw} (that is ${path})` : raw;
        const at = pathPair ?? getPair(vol, "hostPath") ?? vol;
        ctx.report({
          messageId: kind,
          data: { workload: w.label, volume, path: shown, holds, mounts: mountedBy(w, volume) },
          at,
          identity: `${w.label} volume "${volume}"`,
          value: path ?? raw,
          ...kind === "other" ? { level: "warning" } : {}
        });
      }
    });
  }
};

// src/rules/host-port.ts
var rule10 = {
  meta: {
    id: "host-port",
    title: "Host port bound",
    level: "warning",
    securitySeverity: 5,
    precision: "very-high",
    description: "A container port sets a non-zero hostPort.",
    why: "A `hostPort` opens the port on the node's own address, bypassing the Services and NetworkPolicies that normally front a pod, and it ties the pod to nodes where that port is free (two replicas cannot share a node). Microsoft's \"Best practices for pod security in AKS\" recommends Kubernetes Services to expose applications; the Pod Security Standards *baseline* profile disallows host ports.",
    fix: "Remove `hostPort` and expose the container port through a Service:\n\n```yaml\nports:\n  - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostPort: "{container} binds port {port} on the node (hostPort), outside any Service or NetworkPolicy."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      for (const port of asItems(get(c.node, "ports"))) {
        const pair = getPair(port, "hostPort");
        if (!pair) continue;
        const value = asInt(pair.value);
        if (value === 0 || value === void 0) continue;
        ctx.report({ messageId: "hostPort", data: { container: c.label, port: value }, at: pair, identity: c.label, value: String(value) });
      }
    });
  }
};

// src/image/refs.ts
var import_dockerfile_ast2 = __toESM(require_main(), 1);

// src/parse/services.ts
function scalarValueOffset(s2, index) {
  return s2.start + index;
}
function envFromMap(map2) {
  return map2.pairs.map((p) => {
    const v = p.value;
    const value = v.kind === "scalar" && v.value !== null ? v.text : void 0;
    return { name: p.keyText, nameAt: p, valueNode: v, value, valueStart: v.start, valueEnd: v.end };
  });
}
function envFromList(items) {
  const out = [];
  for (const item of items) {
    if (item.kind !== "scalar") continue;
    const eq = item.text.indexOf("=");
    if (eq < 0) {
      out.push({ name: item.text.trim(), nameAt: item, valueNode: void 0, value: void 0, valueStart: item.end, valueEnd: item.end });
      continue;
    }
    const start = scalarValueOffset(item, eq + 1);
    out.push({
      name: item.text.slice(0, eq).trim(),
      nameAt: item,
      valueNode: item,
      value: item.text.slice(eq + 1),
      valueStart: start,
      valueEnd: item.plain ? item.end : start + (item.text.length - eq - 1)
    });
  }
  return out;
}
function composeEnvironment(node) {
  if (!node) return [];
  if (node.kind === "map") return envFromMap(node);
  return envFromList(asItems(node));
}
function composeServices(file) {
  const out = [];
  for (const doc of file.docs) {
    const services = asMap(get(doc.root ?? void 0, "services"));
    if (!services) continue;
    for (const pair of services.pairs) {
      const node = asMap(pair.value);
      if (!node) continue;
      out.push({
        name: pair.keyText,
        node,
        pair,
        image: get(node, "image"),
        environment: composeEnvironment(get(node, "environment")),
        label: `service "${pair.keyText}"`
      });
    }
  }
  return out;
}
function groupsOf(file) {
  const out = [];
  for (const doc of file.docs) {
    const root = asMap(doc.root ?? void 0);
    if (!root || asText(get(root, "type"))?.toLowerCase() !== "microsoft.containerinstance/containergroups") continue;
    out.push({ name: asText(get(root, "name")) ?? "(unnamed)", root, props: asMap(get(root, "properties")) });
  }
  return out;
}
function aciContainers(file) {
  const out = [];
  for (const g of groupsOf(file)) {
    for (const [key, init] of [
      ["initContainers", true],
      ["containers", false]
    ]) {
      asItems(get(g.props, key)).forEach((item, i2) => {
        if (item.kind !== "map") return;
        const namePair = getPair(item, "name");
        const name = asText(namePair?.value) ?? `#${i2 + 1}`;
        const props = asMap(get(item, "properties"));
        const environment = [];
        for (const e of asItems(get(props, "environmentVariables"))) {
          if (e.kind !== "map") continue;
          const np = getPair(e, "name");
          environment.push({
            name: asText(np?.value) ?? "",
            node: e,
            namePair: np,
            value: getPair(e, "value"),
            secureValue: getPair(e, "secureValue")
          });
        }
        out.push({
          group: g.name,
          name,
          node: item,
          anchor: namePair ?? item,
          image: get(props, "image"),
          environment,
          init,
          label: `container group "${g.name}" ${init ? "init container" : "container"} "${name}"`
        });
      });
    }
  }
  return out;
}
function aciRegistryCredentials(file) {
  const out = [];
  for (const g of groupsOf(file)) {
    for (const item of asItems(get(g.props, "imageRegistryCredentials"))) {
      if (item.kind !== "map") continue;
      out.push({ group: g.name, node: item, server: asText(get(item, "server")), password: getPair(item, "password") });
    }
  }
  return out;
}

// src/image/refs.ts
var VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|\(([A-Za-z_][A-Za-z0-9_]*)\)|([A-Za-z_][A-Za-z0-9_]*))/;
function leftoverVariable(text) {
  const m = VARIABLE.exec(text);
  return m ? m[1] ?? m[2] ?? m[3] : void 0;
}
function make(source, written, text, at, where, identity) {
  const unresolvedVar = leftoverVariable(text);
  return { source, written, text, unresolvedVar, ref: unresolvedVar ? void 0 : parseReference(text), at, where, identity, built: false };
}
function stageLabel(stage) {
  return stage.alias ? `stage "${stage.alias}"` : `stage ${stage.index}`;
}
function isStage(model, value) {
  if (/^\d+$/.test(value)) return true;
  const lower = value.toLowerCase();
  return model.stages.some((s2) => s2.alias === lower);
}
function* dockerfileRefs(file) {
  const model = file.model;
  for (const stage of model.stages) {
    const arg = stage.from.getArguments()[0];
    const label = stageLabel(stage);
    if (arg && stage.image.toLowerCase() !== "scratch" && !stage.parent) {
      yield make("from", stage.rawImage, stage.image, dfRange(arg.getRange()), `FROM of ${label}`, `${label} FROM`);
    }
    for (const ins of stage.instructions) {
      const keyword = ins.getKeyword();
      if (keyword !== "COPY" && keyword !== "RUN") continue;
      const flags = ins instanceof import_dockerfile_ast2.ModifiableInstruction ? ins.getFlags() : [];
      for (const flag of flags) {
        const name = flag.getName().toLowerCase();
        if (name === "from" && keyword === "COPY") {
          const value = flag.getValue();
          const range = flag.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          yield make("copy-from", value, text, dfRange(range), `COPY --from in ${label}`, `${label} COPY --from`);
        } else if (name === "mount" && keyword === "RUN") {
          const from = flag.getOption("from");
          const value = from?.getValue();
          const range = from?.getValueRange();
          if (!value || !range) continue;
          const { value: text } = substitute(value, variablesBefore(model, stage, ins));
          if (isStage(model, text)) continue;
          yield make("mount-from", value, text, dfRange(range), `RUN --mount from in ${label}`, `${label} RUN --mount`);
        }
      }
    }
  }
}
function yamlText(node) {
  return node.kind === "scalar" && node.value !== null ? node.text : void 0;
}
function* yamlRef(source, parent, where, substituteDefaults) {
  const pair = getPair(parent, "image");
  if (!pair) return;
  const built = source === "compose" && getPair(parent, "build") !== void 0;
  const node = pair.value;
  const written = yamlText(node);
  if (written === void 0) {
    const reason = node.kind === "scalar" ? "it is empty" : `it is a ${node.kind === "map" ? "mapping" : "list"}, not a string`;
    yield {
      source,
      written: "",
      text: "",
      unresolvedVar: void 0,
      ref: { ok: false, original: "", reason },
      at: pair,
      where,
      identity: where,
      built
    };
    return;
  }
  const text = substituteDefaults ? substitute(written, /* @__PURE__ */ new Map()).value : written;
  yield { ...make(source, written, text, node, where, where), built };
}
function* yamlRefs(file) {
  if (file.kind === "kubernetes") {
    for (const w of file.workloads) for (const c of w.containers) yield* yamlRef("kubernetes", c.node, c.label, false);
  } else if (file.kind === "compose") {
    for (const s2 of composeServices(file)) yield* yamlRef("compose", s2.node, s2.label, true);
  } else {
    for (const c of aciContainers(file)) yield* yamlRef("aci", asMap(get(c.node, "properties")), c.label, false);
  }
}
function* forEachImageRef(file) {
  if (file.kind === "dockerfile") yield* dockerfileRefs(file);
  else yield* yamlRefs(file);
}

// src/config/patterns.ts
function startsWithHost(first) {
  return first.includes(".") || first.includes(":") || first === "localhost" || first === "*" || first === "**";
}
function normalisePattern(pattern) {
  const segments = pattern.split("/");
  const first = segments[0];
  if (startsWithHost(first)) {
    if (first === "index.docker.io" || first === "registry-1.docker.io") segments[0] = "docker.io";
    if (segments.length === 1 && first !== "**") segments.push("**");
    return segments.join("/");
  }
  return ["docker.io", ...segments.length === 1 ? ["library"] : [], ...segments].join("/");
}
function escape(s2) {
  return s2.replace(/[.+^${}()|[\]\\?]/g, "\\$&");
}
function patternSource(pattern) {
  const segments = normalisePattern(pattern).split("/");
  if (segments.length === 1 && segments[0] === "**") return "^[^/]+(?:/[^/]+)*$";
  let out = "";
  let needSep = false;
  for (const seg of segments) {
    if (seg === "**") {
      out += needSep ? "(?:/[^/]+)*" : "(?:[^/]+/)*";
      continue;
    }
    out += (needSep ? "/" : "") + seg.split("*").map(escape).join("[^/]*");
    needSep = true;
  }
  return `^${out}$`;
}
function compilePatterns(patterns) {
  const compiled2 = patterns.map((p) => ({ p, re: new RegExp(patternSource(p)) }));
  return (name) => compiled2.find((c) => c.re.test(name))?.p;
}

// src/image/policy.ts
function compilePolicy(settings) {
  return {
    allowed: settings.allowedImages,
    denied: settings.deniedImages,
    requireDigest: settings.requireDigest,
    matchAllowed: compilePatterns(settings.allowedImages),
    matchDenied: compilePatterns(settings.deniedImages)
  };
}
function policyOf(settings, state) {
  let policy = state.get("imagePolicy");
  if (!policy) {
    policy = compilePolicy(settings);
    state.set("imagePolicy", policy);
  }
  return policy;
}
function judgeName(policy, name) {
  const denied = policy.matchDenied(name);
  if (denied !== void 0) return { kind: "denied", pattern: denied };
  if (policy.allowed.length > 0 && policy.matchAllowed(name) === void 0) return { kind: "notAllowed" };
  return { kind: "allowed" };
}
function allowedText(policy) {
  if (policy.allowed.length === 0) return "any image not matching deniedImages";
  const shown = policy.allowed.slice(0, 5).join(", ");
  return policy.allowed.length > 5 ? `${shown} and ${policy.allowed.length - 5} more` : shown;
}
function pinProblem(ref) {
  if (ref.digest) return void 0;
  if (ref.tag === void 0) return "noTag";
  if (ref.tag === "latest") return "latest";
  return "noDigest";
}
function pinnedExample(ref) {
  let short = ref.original.split("@")[0];
  if (ref.tag !== void 0) short = short.slice(0, -(ref.tag.length + 1));
  if (short === "") short = familiarName(ref.name);
  const tag = ref.tag && ref.tag !== "latest" ? ref.tag : "<version>";
  return `${short}:${tag}@sha256:<digest>`;
}

// src/rules/image-not-allowed.ts
var rule11 = {
  meta: {
    id: "image-not-allowed",
    title: "Image not allowed by the image policy",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "An image reference (Dockerfile FROM/COPY --from/RUN --mount, Kubernetes, docker-compose, ACI) matches deniedImages, or matches no allowedImages pattern.",
    why: 'The AKS and ACI guidance asks for images only from a private, trusted registry (Azure Container Registry) and only approved, lean base images (Microsoft, "Security considerations for Azure Container Instances": use a private registry; "Best practices for container image management and security in AKS": secure and approved base images). An image from an unapproved source is unscanned code running in your cluster. One policy covers every place an image is named, so a Dockerfile cannot pull what a manifest may not.',
    fix: "Use an image from an approved registry, or approve it in `.podguard.yml` (patterns match normalised names without tag; `**` spans segments, `*` stays in one, a bare host means the whole registry):\n\n```yaml\nallowedImages:\n  - myregistry.azurecr.io/**\n  - mcr.microsoft.com/dotnet/*\ndeniedImages:\n  - docker.io/library/centos   # end of life\n```",
    tags: ["security", "supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    silentUnless: "Silent unless allowedImages or deniedImages is configured in .podguard.yml or given with --allow-image.",
    messages: {
      denied: '{where} uses image "{image}" ({name}), which matches the denied pattern "{pattern}" (deniedImages). Allowed: {allowed}.',
      notAllowed: '{where} uses image "{image}" ({name}), which matches no allowedImages pattern. Allowed: {allowed}.'
    }
  },
  check(file, ctx) {
    const policy = policyOf(ctx.settings, ctx.state);
    if (policy.allowed.length === 0 && policy.denied.length === 0) return;
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref?.ok) continue;
      const verdict = judgeName(policy, r2.ref.name);
      if (verdict.kind === "allowed") continue;
      const data = { where: r2.where, image: r2.text, name: r2.ref.name, allowed: allowedText(policy) };
      if (verdict.kind === "denied") {
        ctx.report({ messageId: "denied", data: { ...data, pattern: verdict.pattern }, at: r2.at, identity: r2.identity, value: r2.ref.name });
      } else {
        ctx.report({ messageId: "notAllowed", data, at: r2.at, identity: r2.identity, value: r2.ref.name });
      }
    }
  }
};

// src/rules/image-reference-invalid.ts
var rule12 = {
  meta: {
    id: "image-reference-invalid",
    title: "Malformed image reference",
    level: "error",
    securitySeverity: 3,
    precision: "very-high",
    description: "An image reference does not follow the Docker reference grammar (uppercase repository, bad tag or digest, empty, not a string).",
    why: 'A malformed reference fails at pull time (`InvalidImageName`, "invalid reference format"), after review and merge. It also cannot be checked against the image policy, so a typo would otherwise slip past the allowlist.',
    fix: "Write `[registry[:port]/]repository[:tag][@sha256:digest]`, with a lowercase repository:\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2\n```",
    tags: ["correctness", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      invalid: '{where} uses image reference "{image}", which is malformed: {reason}. Expected [registry[:port]/]repository[:tag][@sha256:digest] in lowercase, e.g. mcr.microsoft.com/dotnet/aspnet:8.0.'
    }
  },
  check(file, ctx) {
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref || r2.ref.ok) continue;
      ctx.report({
        messageId: "invalid",
        data: { where: r2.where, image: r2.text, reason: r2.ref.reason },
        at: r2.at,
        identity: r2.identity,
        value: r2.text
      });
    }
  }
};

// src/rules/image-tag.ts
var rule13 = {
  meta: {
    id: "image-tag",
    title: "Image not pinned to a version or digest",
    level: "error",
    securitySeverity: 6,
    precision: "very-high",
    description: "An image reference has no tag or uses :latest (error), or has no @sha256: digest (note; an error with requireDigest: true). A digest alone is fine; the image a compose service builds is not a pull.",
    why: 'Without a tag an image means `:latest`, which moves with every push: the same manifest deploys different code tomorrow, rollbacks are guesswork, and a compromised push reaches you unnoticed. The AKS image guidance asks for known, scanned base images and the ACI guidance for image integrity (Microsoft, "Best practices for container image management and security in AKS"; "Security considerations for Azure Container Instances"). A digest pins the exact bytes that were scanned and signed.',
    fix: "Pin a version tag, and the digest the tag points to (`docker buildx imagetools inspect <image>:<tag>` shows it):\n\n```dockerfile\nFROM mcr.microsoft.com/dotnet/aspnet:8.0@sha256:<digest>\n```\n\n```yaml\nimage: myregistry.azurecr.io/shop/orders-api:1.4.2@sha256:<digest>\n```\n\nSet `requireDigest: true` in `.podguard.yml` to make a missing digest an error.",
    tags: ["security", "supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      noTag: '{where} uses image "{image}" with no tag, so it pulls whatever :latest is at deploy time. Pin a version and digest, e.g. {example}.',
      latest: '{where} uses image "{image}", whose :latest tag moves with every push. Pin a version and digest, e.g. {example}.',
      noDigest: '{where} uses image "{image}" without a digest, so the tag can be moved to other content. Pin it as {example}.'
    }
  },
  check(file, ctx) {
    const policy = policyOf(ctx.settings, ctx.state);
    for (const r2 of forEachImageRef(file)) {
      if (!r2.ref?.ok || r2.built) continue;
      const problem = pinProblem(r2.ref);
      if (!problem) continue;
      const level = problem === "noDigest" && !policy.requireDigest ? "note" : "error";
      ctx.report({
        messageId: problem,
        data: { where: r2.where, image: r2.text, example: pinnedExample(r2.ref) },
        at: r2.at,
        identity: r2.identity,
        value: r2.ref.name,
        level
      });
    }
  }
};

// src/rules/image-unresolved.ts
var rule14 = {
  meta: {
    id: "image-unresolved",
    title: "Image reference could not be checked",
    level: "note",
    securitySeverity: 2,
    precision: "high",
    description: "An image reference still holds a variable after substitution (a Dockerfile ARG without default, a compose ${VAR} without default, an envsubst placeholder), so the image policy could not be checked.",
    why: "The image policy (allowed registries, pinned tags) can only check what it can read. A variable without a default is decided at build or deploy time, where no review sees it; saying so keeps a green check from claiming more than it checked.",
    fix: "Give the variable a default that the policy can check, and override it only when needed:\n\n```dockerfile\nARG BASE_IMAGE=mcr.microsoft.com/dotnet/aspnet:8.0\nFROM ${BASE_IMAGE}\n```\n\n```yaml\nimage: ${REGISTRY:-myregistry.azurecr.io}/shop/web:1.2.0\n```",
    tags: ["supply-chain", "image"],
    kinds: ["dockerfile", "kubernetes", "compose", "aci"],
    messages: {
      unresolved: '{where} uses image reference "{image}", whose variable {variable} has no value here, so the image policy could not be checked. Give {variable} a default or write the image out.'
    }
  },
  check(file, ctx) {
    for (const r2 of forEachImageRef(file)) {
      if (!r2.unresolvedVar) continue;
      ctx.report({
        messageId: "unresolved",
        data: { where: r2.where, image: r2.written, variable: r2.unresolvedVar },
        at: r2.at,
        identity: r2.identity,
        value: r2.written
      });
    }
  }
};

// src/rules/image-user-mismatch.ts
import { posix } from "node:path";
function stateOf(map2) {
  let s2 = map2.get("seen");
  if (!s2) {
    s2 = { dockerfiles: [], hints: [], containers: [] };
    map2.set("seen", s2);
  }
  return s2;
}
function builtNames(path) {
  const base = posix.basename(path).toLowerCase();
  const dir = posix.basename(posix.dirname(path)).toLowerCase();
  const names = [];
  if (base === "dockerfile" || base === "containerfile") {
    if (dir && dir !== ".") names.push(dir);
  } else {
    const m = /^(.+)\.(?:dockerfile|containerfile)$/.exec(base) ?? /^(?:dockerfile|containerfile)\.(.+)$/.exec(base);
    if (m) names.push(m[1]);
  }
  return names;
}
var rule15 = {
  meta: {
    id: "image-user-mismatch",
    title: "runAsNonRoot with an image whose user is a name",
    level: "note",
    securitySeverity: 4,
    precision: "medium",
    description: "A manifest sets runAsNonRoot: true without runAsUser, and its image is built in this repository by a Dockerfile whose final USER is a name, not a UID (or is root): the pod will not start.",
    why: 'With `runAsNonRoot: true` the kubelet must prove the image user is not root. It can only do that for a numeric UID; for a named user (`USER app`) it refuses to start the container ("image has non-numeric user (app), cannot verify user is non-root", CreateContainerConfigError). Both files look fine alone; together they fail at deploy time. The AKS pod security practice asks for a defined non-root user (Microsoft, "Best practices for pod security in AKS").',
    fix: "Make the user numeric in the Dockerfile, or name the UID in the manifest:\n\n```dockerfile\nUSER 10001\n```\n\n```yaml\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n```",
    tags: ["correctness", "pod-security", "cross-file"],
    kinds: ["kubernetes", "dockerfile", "compose"],
    messages: {
      manifest: '{container} sets runAsNonRoot: true without runAsUser, but its image {image} is built by {dockerfile}, whose final USER is the name "{user}": the kubelet cannot verify a name and the pod will not start. Set runAsUser to the UID, or use USER <uid> in {dockerfile}.',
      rootImage: "{container} sets runAsNonRoot: true, but its image {image} is built by {dockerfile}, which runs as root ({how}): the kubelet will refuse to start the container. End {dockerfile} with a non-root USER <uid>.",
      dockerfile: 'The final USER "{user}" is a name, and {container} ({manifest}) runs this image with runAsNonRoot: true and no runAsUser: the pod will not start. Use the numeric UID, e.g. USER 10001.'
    }
  },
  check(file, ctx) {
    const s2 = stateOf(ctx.state);
    if (file.kind === "dockerfile") {
      const user = finalUser(file.model);
      if (user)
        s2.dockerfiles.push({
          file: detached(file.source),
          user: { kind: user.kind, user: user.user, range: user.range, scratch: user.scratch }
        });
      return;
    }
    if (file.kind === "compose") {
      for (const svc of composeServices(file)) {
        const image = asText(svc.image);
        const build = get(svc.node, "build");
        if (!image || !build) continue;
        const ref = parseReference(image);
        const context = asText(build) ?? asText(get(asMap(build), "context")) ?? ".";
        const dockerfile = asText(get(asMap(build), "dockerfile")) ?? "Dockerfile";
        if (!ref.ok || /^[a-z]+:\/\//i.test(context) || context.startsWith("/") || context.includes("$")) continue;
        const path = posix.normalize(posix.join(posix.dirname(file.source.path), context, dockerfile));
        s2.hints.push({ name: ref.name, dockerfile: path });
      }
      return;
    }
    forEachContainer(file, (c) => {
      const nonRoot = effective(c, "runAsNonRoot");
      if (!nonRoot || asBool(nonRoot.node) !== true || effective(c, "runAsUser")) return;
      const image = asText(c.image);
      const ref = image ? parseReference(image) : void 0;
      if (!image || !ref?.ok) return;
      s2.containers.push({ ...spot(file.source, nonRoot.pair), label: c.label, image, name: ref.name });
    });
  },
  finish(ctx) {
    const s2 = stateOf(ctx.state);
    const byPath = new Map(s2.dockerfiles.map((d) => [d.file.path, d]));
    const byName = /* @__PURE__ */ new Map();
    for (const d of s2.dockerfiles) {
      for (const n of builtNames(d.file.path)) byName.set(n, [...byName.get(n) ?? [], d]);
    }
    const hintsByName = /* @__PURE__ */ new Map();
    for (const h of s2.hints) hintsByName.set(h.name, [...hintsByName.get(h.name) ?? [], h.dockerfile]);
    const reportedDockerfiles = /* @__PURE__ */ new Set();
    for (const c of s2.containers) {
      const hinted = [...new Set(hintsByName.get(c.name) ?? [])];
      let candidates = hinted.map((p) => byPath.get(p)).filter((d2) => d2 !== void 0);
      if (hinted.length === 0) candidates = byName.get(c.name.split("/").pop()) ?? [];
      if (candidates.length !== 1) continue;
      const d = candidates[0];
      if (d.user.kind === "root" || d.user.kind === "default" && d.user.scratch) {
        ctx.report({
          file: c.file,
          messageId: "rootImage",
          data: {
            container: c.label,
            image: c.image,
            dockerfile: d.file.path,
            how: d.user.user ? `USER ${d.user.user}` : "FROM scratch without USER"
          },
          at: c.at,
          identity: c.label,
          value: d.file.path
        });
        continue;
      }
      if (d.user.kind !== "named" || d.user.scratch) continue;
      const user = (d.user.user ?? "").split(":")[0];
      ctx.report({
        file: c.file,
        messageId: "manifest",
        data: { container: c.label, image: c.image, dockerfile: d.file.path, user },
        at: c.at,
        identity: c.label,
        value: d.file.path
      });
      if (reportedDockerfiles.has(d.file.path)) continue;
      reportedDockerfiles.add(d.file.path);
      const range = d.user.range;
      ctx.report({
        file: d.file,
        messageId: "dockerfile",
        data: { user, container: c.label, manifest: c.file.path },
        at: range,
        identity: "final stage user",
        value: c.file.path
      });
    }
  }
};

// src/parse/netpol.ts
import { isIPv4, isIPv6 } from "node:net";
function parseCidr(text) {
  const slash = text.indexOf("/");
  if (slash < 0) return "has no /prefix length (write 10.0.0.0/16, or a.b.c.d/32 for one address)";
  const addr = text.slice(0, slash);
  const len = text.slice(slash + 1);
  let family;
  if (isIPv4(addr)) family = 4;
  else if (isIPv6(addr) && !addr.includes("%")) family = 6;
  else return `has an invalid ${addr.includes(":") ? "IPv6" : "IPv4"} address "${addr}"`;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits) return `has an invalid prefix length "/${len}" (0 to ${bits} for IPv${family})`;
  return { family, base: family === 4 ? v4ToBig(addr) : v6ToBig(addr), prefix: Number(len), bits };
}
function v4ToBig(addr) {
  return addr.split(".").reduce((acc, o) => acc << 8n | BigInt(Number(o)), 0n);
}
function v6ToBig(addr) {
  let text = addr;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBig(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === void 0 ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => acc << 16n | BigInt(parseInt(g, 16)), 0n);
}
function network(c) {
  const host = (1n << BigInt(c.bits - c.prefix)) - 1n;
  return c.base & ~host;
}
function hasHostBits(c) {
  return network(c) !== c.base;
}
function canonical(c) {
  const n = network(c);
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((s2) => String(n >> s2 & 0xffn)).join(".")}/${c.prefix}`;
  const groups = [];
  for (let s2 = 112n; s2 >= 0n; s2 -= 16n) groups.push((n >> s2 & 0xffffn).toString(16));
  return `${groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::")}/${c.prefix}`;
}
function containsAddress(c, addr) {
  const shift = BigInt(c.bits - c.prefix);
  return addr >> shift === c.base >> shift;
}
var IMDS_ADDRESS = "169.254.169.254";
var IMDS = v4ToBig(IMDS_ADDRESS);
var IMDS_PORT = 80;
function rejected(a) {
  return a.problems.some((p) => !p.accepted);
}
var LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
var DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
var SELECTOR_FIELDS = /* @__PURE__ */ new Set(["matchLabels", "matchExpressions"]);
var OPERATORS = /* @__PURE__ */ new Set(["In", "NotIn", "Exists", "DoesNotExist"]);
function labelKeyProblem(key) {
  const parts = key.split("/");
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length > 2) return 'has more than one "/"';
  if (parts.length === 2 && (parts[0].length > 253 || !DNS_SUBDOMAIN.test(parts[0]))) return "has an invalid prefix";
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return "is not a valid label name";
  return void 0;
}
function labelValueProblem(node) {
  if (node.kind !== "scalar") return "is not a string";
  if (node.value === null) return void 0;
  if (typeof node.value !== "string") return `is a ${typeof node.value}, not a string (quote it: "${node.text}")`;
  const v = node.text;
  if (v.length > 63 || v.length > 0 && !LABEL_NAME.test(v)) return "is not a valid label value";
  return void 0;
}
function checkSelector(pair, where, out) {
  const sel = pair.value;
  if (sel.kind === "scalar" && sel.value === null) return true;
  if (sel.kind !== "map") {
    out.push({ messageId: "selectorMalformed", data: { where, reason: "is not a mapping (write matchLabels: {key: value})" }, at: pair });
    return false;
  }
  let ok = true;
  for (const p of sel.pairs) {
    if (!SELECTOR_FIELDS.has(p.keyText)) {
      out.push({ messageId: "selectorUnknownField", data: { where, field: p.keyText }, at: p });
      ok = false;
    }
  }
  const constraints = /* @__PURE__ */ new Map();
  const of = (key) => {
    let c = constraints.get(key);
    if (!c) constraints.set(key, c = { notIn: /* @__PURE__ */ new Set(), exists: false, doesNotExist: false });
    return c;
  };
  const restrict = (c, values) => {
    c.allowed = new Set(c.allowed ? values.filter((v) => c.allowed.has(v)) : values);
  };
  const labelsPair = getPair(sel, "matchLabels");
  if (labelsPair && !(labelsPair.value.kind === "scalar" && labelsPair.value.value === null)) {
    const labels = asMap(labelsPair.value);
    if (!labels) {
      out.push({ messageId: "selectorMalformed", data: { where, reason: "has a matchLabels that is not a mapping" }, at: labelsPair });
      ok = false;
    }
    for (const p of labels?.pairs ?? []) {
      const keyProblem = labelKeyProblem(p.keyText);
      const valueProblem = labelValueProblem(p.value);
      const reason = keyProblem ? `that ${keyProblem}` : valueProblem ? `whose value ${valueProblem}` : void 0;
      if (reason) {
        out.push({ messageId: "selectorMalformed", data: { where, reason: `has label "${p.keyText}" ${reason}` }, at: p });
        ok = false;
        continue;
      }
      const c = of(p.keyText);
      c.exists = true;
      restrict(c, [asText(p.value) ?? ""]);
    }
  }
  const exprPair = getPair(sel, "matchExpressions");
  if (exprPair && !(exprPair.value.kind === "scalar" && exprPair.value.value === null)) {
    if (exprPair.value.kind !== "seq") {
      out.push({ messageId: "selectorMalformed", data: { where, reason: "has a matchExpressions that is not a list" }, at: exprPair });
      ok = false;
    }
    for (const item of asItems(exprPair.value)) {
      const key = asText(get(item, "key"));
      const op = asText(get(item, "operator"));
      const valuesNode = get(item, "values");
      const values = asItems(valuesNode).map((v) => asText(v) ?? "");
      const hasValues = valuesNode !== void 0 && !(valuesNode.kind === "scalar" && valuesNode.value === null);
      let reason;
      if (item.kind !== "map") reason = "has a matchExpressions entry that is not a mapping";
      else if (!key) reason = "has a matchExpressions entry without a key";
      else if (labelKeyProblem(key)) reason = `has a matchExpressions key "${key}" that ${labelKeyProblem(key)}`;
      else if (!op || !OPERATORS.has(op)) reason = `has an unknown operator "${op ?? ""}" (In, NotIn, Exists or DoesNotExist)`;
      else if ((op === "In" || op === "NotIn") && values.length === 0) reason = `uses ${op} on "${key}" without values`;
      else if ((op === "Exists" || op === "DoesNotExist") && hasValues && values.length > 0) reason = `uses ${op} on "${key}" with values`;
      else if (hasValues && valuesNode.kind !== "seq") reason = `has values for "${key}" that are not a list`;
      else {
        const bad = asItems(valuesNode).find((v) => labelValueProblem(v) !== void 0 || v.kind === "scalar" && v.value === null);
        if (bad) reason = `has a value for "${key}" that ${labelValueProblem(bad) ?? "is empty (null)"}`;
      }
      if (reason) {
        out.push({ messageId: "selectorMalformed", data: { where, reason }, at: item });
        ok = false;
        continue;
      }
      const c = of(key);
      if (op === "In") {
        c.exists = true;
        restrict(c, values);
      } else if (op === "NotIn") for (const v of values) c.notIn.add(v);
      else if (op === "Exists") c.exists = true;
      else c.doesNotExist = true;
    }
  }
  if (!ok) return false;
  for (const [key, c] of constraints) {
    const left = c.allowed ? [...c.allowed].filter((v) => !c.notIn.has(v)) : void 0;
    let why;
    if (c.doesNotExist && c.exists) why = `label "${key}" must both exist and not exist`;
    else if (left && left.length === 0) why = `no value of label "${key}" satisfies every condition`;
    if (why) {
      out.push({ messageId: "selectsNothing", data: { where, reason: why }, at: pair, accepted: true });
      return false;
    }
  }
  return constraints.size === 0;
}
var PROTOCOLS = /* @__PURE__ */ new Set(["TCP", "UDP", "SCTP"]);
var PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
function checkPort(port, out) {
  const reason = portProblem(port);
  if (reason) out.push({ messageId: "portInvalid", data: { reason }, at: port });
}
function portProblem(port) {
  if (port.kind !== "map") return "a ports entry is not a mapping";
  const protocol = get(port, "protocol");
  if (protocol && asText(protocol) !== void 0 && !PROTOCOLS.has(asText(protocol))) {
    return `protocol "${asText(protocol)}" is not TCP, UDP or SCTP`;
  }
  const p = get(port, "port");
  const endNode = get(port, "endPort");
  const end = endNode && !(endNode.kind === "scalar" && endNode.value === null) ? asInt(endNode) : void 0;
  const hasPort = p !== void 0 && !(p.kind === "scalar" && p.value === null);
  const n = hasPort ? asInt(p) : void 0;
  if (hasPort && n === void 0) {
    const name = asText(p) ?? "";
    if (!PORT_NAME.test(name)) return `port "${name}" is neither a number nor a valid port name`;
    if (endNode) return `endPort needs a numeric port, not the named port "${name}"`;
  }
  if (n !== void 0 && (n < 1 || n > 65535)) return `port ${n} is outside 1-65535`;
  if (endNode && end === void 0) return "endPort is not a number";
  if (end !== void 0 && !hasPort) return "endPort needs a port";
  if (end !== void 0 && n !== void 0 && (end < n || end > 65535)) return `endPort ${end} is below port ${n} or above 65535`;
  return void 0;
}
function portAllows(port, target) {
  const protocol = asText(get(port, "protocol")) ?? "TCP";
  if (protocol !== "TCP") return false;
  const p = get(port, "port");
  if (p === void 0 || p.kind === "scalar" && p.value === null) return true;
  const n = asInt(p);
  if (n === void 0) return false;
  const end = asInt(get(port, "endPort")) ?? n;
  return target >= n && target <= end;
}
function checkIpBlock(block, at, out) {
  const cidrPair = getPair(block, "cidr");
  const cidrText = asText(cidrPair?.value);
  if (!cidrPair || cidrText === void 0) {
    out.push({ messageId: "cidrMissing", data: {}, at });
    return void 0;
  }
  const cidr = parseCidr(cidrText);
  if (typeof cidr === "string") {
    out.push({ messageId: "cidrInvalid", data: { cidr: cidrText, reason: cidr }, at: cidrPair.value });
    return void 0;
  }
  if (hasHostBits(cidr)) {
    out.push({
      messageId: "cidrHostBits",
      data: { cidr: cidrText, canonical: canonical(cidr) },
      at: cidrPair.value,
      accepted: true,
      warning: true
    });
  }
  for (const e of asItems(get(block, "except"))) {
    const t = asText(e);
    const ex = t === void 0 ? "is not a CIDR string" : parseCidr(t);
    if (typeof ex === "string") {
      out.push({ messageId: "cidrInvalid", data: { cidr: t ?? "", reason: ex }, at: e });
      continue;
    }
    if (ex.family !== cidr.family || ex.prefix <= cidr.prefix || !containsAddress(cidr, ex.base)) {
      const reason = ex.family !== cidr.family ? `is IPv${ex.family} but its cidr "${cidrText}" is IPv${cidr.family}` : `is not a strict subset of its cidr "${cidrText}"`;
      out.push({ messageId: "exceptOutside", data: { except: t ?? "", reason }, at: e });
    }
  }
  return cidr;
}
function blockAllowsImds(block) {
  const cidr = parseCidr(asText(get(block, "cidr")) ?? "");
  if (typeof cidr === "string" || cidr.family !== 4 || !containsAddress(cidr, IMDS)) return false;
  for (const e of asItems(get(block, "except"))) {
    const ex = parseCidr(asText(e) ?? "");
    if (typeof ex !== "string" && ex.family === 4 && containsAddress(ex, IMDS)) return false;
  }
  return true;
}
function analyzePolicy(obj) {
  const problems = [];
  const spec = asMap(get(obj.node, "spec"));
  const result = { problems, selectsAll: false, egress: false, allowsImdsAt: void 0 };
  if (!spec) {
    problems.push({ messageId: "noSpec", data: { policy: obj.label }, at: getPair(obj.node, "kind") ?? obj.node });
    return result;
  }
  const podSelector = getPair(spec, "podSelector");
  result.selectsAll = podSelector ? checkSelector(podSelector, "spec.podSelector", problems) : true;
  const typesPair = getPair(spec, "policyTypes");
  const egressPair = getPair(spec, "egress");
  if (typesPair) {
    for (const t of asItems(typesPair.value)) {
      const v = asText(t);
      if (v !== "Ingress" && v !== "Egress") problems.push({ messageId: "policyType", data: { type: v ?? "" }, at: t });
      if (v === "Egress") result.egress = true;
    }
    if (typesPair.value.kind !== "seq" && !(typesPair.value.kind === "scalar" && typesPair.value.value === null)) {
      problems.push({ messageId: "policyType", data: { type: asText(typesPair.value) ?? "a mapping" }, at: typesPair });
    }
  } else {
    result.egress = asItems(egressPair?.value).length > 0;
  }
  for (const [section, peerKey] of [
    ["ingress", "from"],
    ["egress", "to"]
  ]) {
    for (const rule41 of asItems(get(spec, section))) {
      const peersNode = get(rule41, peerKey);
      const peers = asItems(peersNode);
      const portsNode = get(rule41, "ports");
      const ports = asItems(portsNode);
      for (const p of ports) checkPort(p, problems);
      let reachesImds = peers.length === 0 ? rule41 : void 0;
      for (const peer of peers) {
        const block = getPair(peer, "ipBlock");
        for (const key of ["podSelector", "namespaceSelector"]) {
          const p = getPair(peer, key);
          if (p) checkSelector(p, `${section}.${peerKey}.${key}`, problems);
        }
        if (block && (getPair(peer, "podSelector") || getPair(peer, "namespaceSelector"))) {
          problems.push({ messageId: "ipBlockCombined", data: {}, at: block });
        }
        const blockMap = block ? asMap(block.value) : void 0;
        if (block && !blockMap) problems.push({ messageId: "cidrMissing", data: {}, at: block });
        if (block && blockMap) {
          checkIpBlock(blockMap, block, problems);
          if (section === "egress" && !reachesImds && blockAllowsImds(blockMap)) reachesImds = get(blockMap, "cidr") ?? blockMap;
        }
      }
      if (section === "egress" && reachesImds && !result.allowsImdsAt && (ports.length === 0 || ports.some((p) => portAllows(p, IMDS_PORT)))) {
        result.allowsImdsAt = reachesImds;
      }
    }
  }
  return result;
}
function isNetworkPolicy(obj) {
  return obj.kind === "NetworkPolicy" && (obj.apiVersion === "networking.k8s.io/v1" || obj.apiVersion === "extensions/v1beta1");
}
function namespaceOf(obj) {
  return obj.namespace ?? "default";
}

// src/rules/imds-egress-not-blocked.ts
function stateOf2(ctx) {
  let s2 = ctx.state.get("scan");
  if (!s2) ctx.state.set("scan", s2 = { workloads: [], namespaces: /* @__PURE__ */ new Map(), declared: /* @__PURE__ */ new Set() });
  return s2;
}
function policiesOf(s2, ns) {
  let p = s2.namespaces.get(ns);
  if (!p) s2.namespaces.set(ns, p = { blocking: [], rejectedBlocking: [], allowing: [], openAllPods: [] });
  return p;
}
var rule16 = {
  meta: {
    id: "imds-egress-not-blocked",
    title: "Instance metadata endpoint reachable from pods",
    level: "warning",
    securitySeverity: 7,
    precision: "medium",
    description: "A namespace with workloads has no NetworkPolicy that selects all pods and blocks egress to the instance metadata endpoint 169.254.169.254; hostNetwork pods bypass NetworkPolicies.",
    why: "Every AKS node answers on 169.254.169.254 (the Azure Instance Metadata Service) with details of the node and, when the node pool has a managed identity, with access tokens for it. A compromised pod that reaches it can act as the node's identity in Azure. The AKS cluster security practice (seed 001, \"Toegang tot de API voor exemplaarmetagegevens beperken\") asks for a NetworkPolicy that selects all pods (`podSelector` `matchLabels: {}`), has policy type `Egress` and excludes `169.254.169.254/32`. The check is cross-file: the policy may sit anywhere in the scan, but it only counts for its own namespace (objects without `metadata.namespace` count as `default`; `kubectl -n` and kustomize `namespace:` overrides are not seen). A policy the API server rejects (see `networkpolicy-invalid`, for example the seed's own `cidr: 10.10.0.0/0#example`) does not count. Pods with `hostNetwork: true` use the node's network stack, so no NetworkPolicy applies to them. Silence the rule (`rules: {imds-egress-not-blocked: off}`) for clusters that block IMDS elsewhere, e.g. an Azure Firewall or a Cilium/Calico cluster-wide policy, or list namespaces under `ignoreNamespaces`.",
    fix: 'Add one policy per namespace (NetworkPolicies add up: no other egress policy in the namespace may allow 169.254.169.254):\n\n```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: block-instance-metadata\n  namespace: my-app          # one per namespace\nspec:\n  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n        - ipBlock:\n            cidr: "::/0"      # dual-stack clusters\n        - namespaceSelector: {}   # pods in the cluster (Cilium does not match pod IPs by ipBlock)\n```',
    tags: ["security", "kubernetes", "network-policy", "aks"],
    kinds: ["kubernetes"],
    defaultOptions: { ignoreNamespaces: [] },
    optionsSchema: {
      type: "object",
      properties: {
        ignoreNamespaces: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Namespaces whose workloads may reach IMDS (e.g. kube-system add-ons that need the node identity)."
        }
      },
      additionalProperties: false
    },
    silentUnless: "the scan holds workloads; in a changed-files scan it judges only namespaces whose Namespace object changed",
    messages: {
      missing: 'Namespace "{namespace}" has no NetworkPolicy that blocks egress to the metadata endpoint 169.254.169.254 for all pods: {workload} and every other pod there can fetch node identity tokens.',
      rejected: 'Namespace "{namespace}": {policy} would block the metadata endpoint 169.254.169.254, but the API server rejects it (see networkpolicy-invalid), so {workload} can reach it.',
      notBlocking: 'Namespace "{namespace}": {policy} selects all pods for egress but still lets them reach the metadata endpoint 169.254.169.254 ({file}:{line}), so {workload} can fetch node identity tokens.',
      hostNetwork: "{workload} uses hostNetwork: true, so no NetworkPolicy applies to it and it can reach the metadata endpoint 169.254.169.254.",
      allows: "{policy} allows egress to 169.254.169.254 for the pods it selects, which undoes the namespace's metadata block (NetworkPolicies add up)."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const ignored = new Set(ctx.options.ignoreNamespaces ?? []);
    const s2 = stateOf2(ctx);
    for (const obj of file.objects) {
      if (obj.kind === "Namespace" && obj.apiVersion === "v1" && obj.name) s2.declared.add(obj.name);
      if (!isNetworkPolicy(obj)) continue;
      const ns = namespaceOf(obj);
      const a = analyzePolicy(obj);
      const p = policiesOf(s2, ns);
      if (a.selectsAll && a.egress && !a.allowsImdsAt) (rejected(a) ? p.rejectedBlocking : p.blocking).push(obj.label);
      else if (a.egress && a.allowsImdsAt && !rejected(a)) {
        const place = { label: obj.label, ...spot(file.source, a.allowsImdsAt) };
        p.allowing.push(place);
        if (a.selectsAll) p.openAllPods.push(place);
      }
    }
    for (const w of file.workloads) {
      const ns = namespaceOf(w.object);
      if (ignored.has(ns)) continue;
      const hostNet = getPair(w.podSpec, "hostNetwork");
      if (hostNet && asBool(hostNet.value) === true) {
        ctx.report({ messageId: "hostNetwork", data: { workload: w.label }, at: hostNet, identity: `${ns}/${w.label}` });
        continue;
      }
      const meta = asMap(get(w.object.node, "metadata"));
      const at = getPair(meta, "name") ?? getPair(w.object.node, "kind") ?? w.object.node;
      s2.workloads.push({ namespace: ns, label: w.label, ...spot(file.source, at) });
    }
  },
  finish(ctx) {
    const s2 = stateOf2(ctx);
    const reported = /* @__PURE__ */ new Set();
    for (const w of s2.workloads) {
      if (reported.has(w.namespace)) continue;
      reported.add(w.namespace);
      if (ctx.partial && !s2.declared.has(w.namespace)) continue;
      const p = s2.namespaces.get(w.namespace);
      if (p && p.blocking.length > 0) continue;
      const identity = `namespace/${w.namespace}`;
      if (p && p.rejectedBlocking.length > 0) {
        ctx.report({
          messageId: "rejected",
          data: { namespace: w.namespace, policy: p.rejectedBlocking[0], workload: w.label },
          at: w.at,
          file: w.file,
          identity
        });
      } else if (p && p.openAllPods.length > 0) {
        const open = p.openAllPods[0];
        const line = open.at.start.line;
        ctx.report({
          messageId: "notBlocking",
          data: { namespace: w.namespace, policy: open.label, file: open.file.path, line, workload: w.label },
          at: w.at,
          file: w.file,
          identity
        });
      } else {
        ctx.report({ messageId: "missing", data: { namespace: w.namespace, workload: w.label }, at: w.at, file: w.file, identity });
      }
    }
    const ignored = new Set(ctx.options.ignoreNamespaces ?? []);
    for (const [ns, p] of s2.namespaces) {
      if (p.blocking.length === 0 || ignored.has(ns)) continue;
      for (const a of p.allowing)
        ctx.report({ messageId: "allows", data: { policy: a.label }, at: a.at, file: a.file, identity: `${ns}/${a.label}` });
    }
  }
};

// src/rules/insecure-security-profile.ts
var SELINUX_TYPES = /* @__PURE__ */ new Set(["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
var SAFE_SYSCTLS = /* @__PURE__ */ new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes"
]);
var APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
var SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
var SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";
function checkContext(ctx, sc, subject) {
  if (!sc) return;
  for (const [field, messageId] of [
    ["seccompProfile", "seccompUnconfined"],
    ["appArmorProfile", "apparmorUnconfined"]
  ]) {
    const type2 = getPair(get(sc, field), "type");
    if (type2 && asText(type2.value)?.toLowerCase() === "unconfined")
      ctx.report({ messageId, data: { subject }, at: type2, identity: subject });
  }
  const selinux = asMap(get(sc, "seLinuxOptions"));
  const selinuxType = getPair(selinux, "type");
  const typeText = asText(selinuxType?.value);
  if (selinuxType && typeText && !SELINUX_TYPES.has(typeText)) {
    ctx.report({ messageId: "selinuxType", data: { subject, type: typeText }, at: selinuxType, identity: subject, value: typeText });
  }
  for (const field of ["user", "role"]) {
    const pair = getPair(selinux, field);
    const text = asText(pair?.value);
    if (pair && text)
      ctx.report({
        messageId: "selinuxUserRole",
        data: { subject, field, value: text },
        at: pair,
        identity: subject,
        value: `${field}=${text}`
      });
  }
}
var rule17 = {
  meta: {
    id: "insecure-security-profile",
    title: "Security profile disabled",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "A pod or container runs seccomp or AppArmor Unconfined, uses a custom SELinux type, user or role, sets procMount: Unmasked, or sets an unsafe sysctl.",
    why: "seccomp, AppArmor and SELinux are the kernel's second line of defence: they limit what a compromised process can ask the kernel for, and they are what stops many container escapes. Microsoft's \"Best practices for pod security in AKS\" names AppArmor, seccomp and SELinux labels as the means to limit container access to resources, with the least privileges needed. The Pod Security Standards *baseline* profile forbids `Unconfined` seccomp and AppArmor profiles, SELinux types other than `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` (and any custom user or role), an unmasked `/proc`, and sysctls outside a short safe list (other sysctls can change the whole node or other pods).",
    fix: 'Use the runtime\'s default confinement (or a reviewed Localhost profile) and only safe sysctls:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n    appArmorProfile:\n      type: RuntimeDefault\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n        value: "1024 65535"\n  containers:\n    - name: web\n      securityContext:\n        procMount: Default\n```\n\nRemove custom `seLinuxOptions` unless the cluster operator provides that policy.',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      seccompUnconfined: "{subject} runs without a seccomp profile (Unconfined): every system call is open to it.",
      apparmorUnconfined: "{subject} runs without AppArmor confinement (Unconfined).",
      selinuxType: "{subject} uses the custom SELinux type {type}; only container_t, container_init_t, container_kvm_t and container_engine_t are allowed.",
      selinuxUserRole: "{subject} sets a custom SELinux {field} ({value}).",
      procMount: "{subject} sets procMount: Unmasked: the kernel paths normally masked in /proc are exposed.",
      unsafeSysctl: "{subject} sets the sysctl {sysctl}, which is not in the Pod Security Standards safe set."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      checkContext(ctx, w.podSecurityContext, w.label);
      for (const item of asItems(get(w.podSecurityContext, "sysctls"))) {
        const namePair = getPair(item, "name");
        const sysctl = asText(namePair?.value);
        if (namePair && sysctl && !SAFE_SYSCTLS.has(sysctl.replaceAll("/", "."))) {
          ctx.report({ messageId: "unsafeSysctl", data: { subject: w.label, sysctl }, at: namePair, identity: w.label, value: sysctl });
        }
      }
      const annotations = asMap(get(w.podMeta, "annotations"));
      for (const pair of annotations?.pairs ?? []) {
        const value = asText(pair.value)?.toLowerCase();
        if (value !== "unconfined") continue;
        if (pair.keyText.startsWith(APPARMOR_PREFIX)) {
          const name = pair.keyText.slice(APPARMOR_PREFIX.length);
          ctx.report({
            messageId: "apparmorUnconfined",
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`
          });
        } else if (pair.keyText.startsWith(SECCOMP_CONTAINER_PREFIX)) {
          const name = pair.keyText.slice(SECCOMP_CONTAINER_PREFIX.length);
          ctx.report({
            messageId: "seccompUnconfined",
            data: { subject: `${w.label} container "${name}"` },
            at: pair,
            identity: `${w.label} container "${name}"`
          });
        } else if (pair.keyText === SECCOMP_POD_ANNOTATION) {
          ctx.report({ messageId: "seccompUnconfined", data: { subject: w.label }, at: pair, identity: w.label });
        }
      }
      for (const c of w.containers) {
        checkContext(ctx, c.securityContext, c.label);
        const procMount = containerField(c, "procMount");
        if (procMount && asText(procMount.value) === "Unmasked") {
          ctx.report({ messageId: "procMount", data: { subject: c.label }, at: procMount, identity: c.label });
        }
      }
    });
  }
};

// src/rules/internal-error.ts
var rule18 = {
  meta: {
    id: "internal-error",
    title: "podguard internal error",
    level: "error",
    securitySeverity: 3,
    precision: "very-high",
    description: "A podguard rule failed on this document. The other rules and documents were still checked.",
    why: "A crash must not hide results: the document the rule failed on is reported so it is not assumed clean.",
    fix: "Please report the message with the document (secrets removed) at the podguard issue tracker. To unblock a build meanwhile:\n\n```yaml\n# .podguard.yml\nrules:\n  internal-error: warning\n```",
    tags: ["correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      rule: "Rule {rule} failed on this document ({error}); its results for this document are incomplete.",
      parser: "The parser failed on this file ({error}); it was not checked."
    },
    system: true
  },
  check() {
  }
};

// src/rules/invalid-suppression.ts
var rule19 = {
  meta: {
    id: "invalid-suppression",
    title: "Invalid suppression",
    level: "warning",
    securitySeverity: 2,
    precision: "very-high",
    description: "A suppression names an unknown rule or container, has a malformed until= date, or is written where it cannot work.",
    why: "A typo in a suppression must not pass silently: the author believes a finding is handled, and a mistyped rule id or date would either hide nothing or hide the wrong thing.",
    fix: 'Write `<rule-id>[,<rule-id>] [until=YYYY-MM-DD] -- <reason>` with ids from `podguard rules`:\n\n```yaml\nmetadata:\n  annotations:\n    podguard.dev/ignore.log-shipper: "privileged-container -- reads host logs (SEC-42)"\n```',
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      unknownRule: 'This {form} names "{rule}", which is not a podguard rule (see podguard rules).',
      badDate: "This {form} has until={value}, which is not a date: write until=YYYY-MM-DD. It has no effect until fixed.",
      badToken: 'This {form} has "{token}", which is neither a rule id nor until=YYYY-MM-DD (the reason goes after " -- "). It has no effect until fixed.',
      noRules: 'This {form} names no rule: write "<rule-id> -- <reason>". It has no effect until fixed.',
      unknownContainer: 'This {form} names container "{container}", but {object} has no container of that name.',
      trailingDockerfile: "Dockerfiles have no end-of-line comments (the text belongs to the instruction): put the podguard-ignore comment on its own line above the instruction."
    },
    system: true
  },
  check() {
  }
};

// src/rules/misplaced-security-field.ts
var CONTAINER_ONLY = /* @__PURE__ */ new Set(["allowPrivilegeEscalation", "capabilities", "privileged", "readOnlyRootFilesystem", "procMount"]);
var POD_ONLY = /* @__PURE__ */ new Set(["fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "sysctls"]);
var SHARED = new Set(SHARED_SECURITY_FIELDS);
var CONTEXT_FIELDS = /* @__PURE__ */ new Set([...CONTAINER_ONLY, ...POD_ONLY, ...SHARED]);
function wrappers(w) {
  const maps = [];
  let node = w.object.node;
  let path = "";
  for (let depth = 0; node && node !== w.podSpec && depth < 8; depth++) {
    maps.push({ map: node, path });
    const meta = asMap(get(node, "metadata"));
    if (meta) maps.push({ map: meta, path: join(path, "metadata") });
    const key = get(node, "template") ? "template" : get(node, "jobTemplate") ? "jobTemplate" : "spec";
    node = asMap(get(node, key));
    path = join(path, key);
  }
  return { maps, podSpecPath: path };
}
var join = (path, key) => path ? `${path}.${key}` : key;
function nestedContexts(w) {
  const out = [];
  const byNode = new Map(w.containers.map((c) => [c.node, c]));
  const walk = (node, path, container, depth) => {
    if (depth > 12) return;
    if (node.kind === "seq") {
      node.items.forEach((item, i2) => walk(item, `${path}[${i2}]`, container, depth + 1));
      return;
    }
    if (node.kind !== "map") return;
    const own = byNode.get(node);
    const allowed = node === w.podSpec || own !== void 0;
    for (const pair of node.pairs) {
      if (pair.keyText === "securityContext") {
        if (!allowed) out.push({ pair, path: join(path, "securityContext"), container });
        continue;
      }
      walk(pair.value, join(path, pair.keyText), own ?? container, depth + 1);
    }
  };
  walk(w.podSpec, "", void 0, 0);
  return out;
}
function home(field, level) {
  if (CONTAINER_ONLY.has(field)) return level === "container" ? "the container's securityContext" : "each container's securityContext";
  if (POD_ONLY.has(field)) return "the pod-level securityContext";
  return level === "container" ? "the container's securityContext" : "the pod-level securityContext";
}
var rule20 = {
  meta: {
    id: "misplaced-security-field",
    title: "Security setting has no effect where it stands",
    level: "error",
    securitySeverity: 7,
    precision: "very-high",
    description: "A securityContext field sits where Kubernetes ignores it: container-only fields in the pod securityContext, pod-only fields in a container's, securityContext fields directly on a container or pod spec, or a securityContext outside the pod spec.",
    why: 'Kubernetes drops fields it does not know at a given level, usually without an error (kubectl only warns, Helm and GitOps tools often say nothing). The manifest *looks* hardened but the setting never reaches the container: `allowPrivilegeEscalation: false` in the pod-level securityContext leaves escalation allowed. Microsoft\'s own "Best practices for pod security in AKS" (Dutch edition) prints its example with the `securityContext` at the wrong level. The pod-level `PodSecurityContext` and the container-level `SecurityContext` are different types: `allowPrivilegeEscalation`, `capabilities`, `privileged`, `readOnlyRootFilesystem` and `procMount` exist only per container; `fsGroup`, `fsGroupChangePolicy`, `supplementalGroups`, `supplementalGroupsPolicy` and `sysctls` only per pod.',
    fix: 'Move each field to the level that has it:\n\n```yaml\nspec:\n  securityContext:            # pod level: users, groups, volumes, sysctls\n    runAsNonRoot: true\n    runAsUser: 1000\n    fsGroup: 2000\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: web\n      securityContext:        # container level: privileges of this container\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities:\n          drop: ["ALL"]\n```',
    tags: ["security", "kubernetes", "pod-security", "correctness"],
    kinds: ["kubernetes"],
    messages: {
      containerFieldAtPod: "{workload}: {field} in the pod-level securityContext has no effect; Kubernetes reads it only from each container's securityContext (containers[].securityContext.{field}).",
      podFieldInContainer: "{container}: {field} in the container securityContext has no effect; it belongs in the pod-level securityContext (the one beside containers:).",
      fieldOnContainer: "{container}: {field} is not a container field and has no effect here; it belongs under {where}.",
      fieldOnPodSpec: "{workload}: {field} is not a pod spec field and has no effect here; it belongs under {where}.",
      contextNested: "{workload}: the securityContext at {path} has no effect there; it belongs {home}.",
      contextOutsidePodSpec: "{workload}: the securityContext {place} is outside the pod spec and has no effect; move it under {podSpec}.securityContext."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      for (const pair of w.podSecurityContext?.pairs ?? []) {
        if (CONTAINER_ONLY.has(pair.keyText)) {
          ctx.report({
            messageId: "containerFieldAtPod",
            data: { workload: w.label, field: pair.keyText },
            at: pair,
            identity: w.label,
            value: pair.keyText
          });
        }
      }
      for (const pair of w.podSpec.pairs) {
        if (!CONTEXT_FIELDS.has(pair.keyText)) continue;
        const where = home(pair.keyText, "pod");
        ctx.report({
          messageId: "fieldOnPodSpec",
          data: { workload: w.label, field: pair.keyText, where },
          at: pair,
          identity: w.label,
          value: pair.keyText
        });
      }
      const { maps, podSpecPath } = wrappers(w);
      for (const { map: map2, path } of maps) {
        const pair = getPair(map2, "securityContext");
        if (!pair) continue;
        const place = path ? `at ${path}.securityContext` : "at the top level of the object";
        ctx.report({
          messageId: "contextOutsidePodSpec",
          data: { workload: w.label, place, podSpec: podSpecPath },
          at: pair,
          identity: w.label
        });
      }
      for (const n of nestedContexts(w)) {
        const home2 = n.container ? `directly under ${n.container.label.slice(w.label.length + 1)} (at the level of its name: key)` : "directly under the pod spec or a container";
        ctx.report({
          messageId: "contextNested",
          data: { workload: w.label, path: `${podSpecPath}.${n.path}`, home: home2 },
          at: n.pair,
          identity: n.container?.label ?? w.label,
          value: n.path
        });
      }
      for (const c of w.containers) {
        for (const pair of c.securityContext?.pairs ?? []) {
          if (POD_ONLY.has(pair.keyText)) {
            ctx.report({
              messageId: "podFieldInContainer",
              data: { container: c.label, field: pair.keyText },
              at: pair,
              identity: c.label,
              value: pair.keyText
            });
          }
        }
        for (const pair of c.node.pairs) {
          if (CONTEXT_FIELDS.has(pair.keyText)) {
            ctx.report({
              messageId: "fieldOnContainer",
              data: { container: c.label, field: pair.keyText, where: home(pair.keyText, "container") },
              at: pair,
              identity: c.label,
              value: pair.keyText
            });
          }
        }
      }
    });
  }
};

// src/rules/missing-seccomp-profile.ts
var SECCOMP_POD_ANNOTATION2 = "seccomp.security.alpha.kubernetes.io/pod";
var SECCOMP_CONTAINER_PREFIX2 = "container.seccomp.security.alpha.kubernetes.io/";
function confiningAnnotation(value) {
  const v = value?.toLowerCase();
  return v === "runtime/default" || v === "docker/default" || v !== void 0 && v.startsWith("localhost/");
}
var rule21 = {
  meta: {
    id: "missing-seccomp-profile",
    title: "No seccomp profile",
    level: "warning",
    securitySeverity: 5,
    precision: "high",
    description: "Neither the pod nor the container sets seccompProfile (RuntimeDefault or Localhost).",
    why: "Without a seccomp profile a container may call every system call the kernel offers, including the rarely used ones behind many container escapes; Kubernetes does not apply the runtime's default profile unless asked (or unless the cluster enables `--seccomp-default`). Microsoft's \"Best practices for pod security in AKS\" points to seccomp to limit what containers can do; the Pod Security Standards *restricted* profile requires `RuntimeDefault` or `Localhost`.",
    fix: "Set the runtime's default profile once for the whole pod:\n\n```yaml\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt; the legacy `seccomp.security.alpha.kubernetes.io` annotations with `runtime/default` or `localhost/...` count as set.",
    messages: {
      missing: "{container} has no seccomp profile: set seccompProfile.type: RuntimeDefault at pod or container level."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      if (effective(c, "seccompProfile")) return;
      const annotations = asMap(get(w.podMeta, "annotations"));
      if (confiningAnnotation(asText(get(annotations, `${SECCOMP_CONTAINER_PREFIX2}${c.name}`)))) return;
      if (confiningAnnotation(asText(get(annotations, SECCOMP_POD_ANNOTATION2)))) return;
      ctx.report({ messageId: "missing", data: { container: c.label }, at: c.anchor, identity: c.label });
    });
  }
};

// src/rules/networkpolicy-invalid.ts
var rule22 = {
  meta: {
    id: "networkpolicy-invalid",
    title: "Invalid NetworkPolicy",
    level: "error",
    securitySeverity: 6.5,
    precision: "very-high",
    description: "A NetworkPolicy has an invalid ipBlock CIDR, an except outside its cidr, a malformed or contradictory label selector, an invalid port, or an unknown policy type.",
    why: 'A NetworkPolicy the API server rejects protects nothing, and the pipeline that applies it often fails late or, worse, the team believes the namespace is isolated. The AKS cluster security practice (seed 001, "Toegang tot de API voor exemplaarmetagegevens beperken") prints an example whose `cidr: 10.10.0.0/0#example` is not a CIDR at all: copied as is, it is rejected. Kubernetes requires each `except` to be a strict subset of its `cidr` in the same IP family, selectors with valid label keys and string values, and `In`/`NotIn` with values. A selector that can never match (a label that must both exist and not exist, disjoint `In` lists) is accepted but silently applies to no pod. CIDRs written with host bits set (`10.10.0.0/0`) are accepted but mean the whole network (`0.0.0.0/0`), rarely what was meant.',
    fix: "Write real CIDRs, keep `except` inside `cidr`, and put labels under `matchLabels`:\n\n```yaml\nspec:\n  podSelector:\n    matchLabels:\n      app: web          # not podSelector: {app: web}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n```",
    tags: ["security", "kubernetes", "network-policy", "aks"],
    kinds: ["kubernetes"],
    messages: {
      cidrInvalid: '{policy}: ipBlock CIDR "{cidr}" {reason}; the API server rejects the policy.',
      cidrMissing: "{policy}: an ipBlock needs a cidr; the API server rejects the policy.",
      cidrHostBits: '{policy}: CIDR "{cidr}" has host bits set, so it means {canonical}; write the network you intend.',
      exceptOutside: '{policy}: except "{except}" {reason}; the API server rejects the policy.',
      selectorMalformed: "{policy}: {where} {reason}; the API server rejects the policy.",
      selectorUnknownField: '{policy}: {where} has field "{field}": labels belong under matchLabels. Strict validation rejects it; without validation the field is dropped and the selector matches every pod.',
      selectsNothing: "{policy}: {where} can never match a pod ({reason}).",
      policyType: '{policy}: policyTypes entry "{type}" is not Ingress or Egress; the API server rejects the policy.',
      ipBlockCombined: "{policy}: a peer combines ipBlock with a pod or namespace selector; write them as separate peers (the API server rejects this).",
      portInvalid: "{policy}: {reason}; the API server rejects the policy.",
      noSpec: "{policy} has no spec: it restricts nothing."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    for (const obj of file.objects) {
      if (!isNetworkPolicy(obj)) continue;
      for (const p of analyzePolicy(obj).problems) {
        ctx.report({
          messageId: p.messageId,
          data: { policy: obj.label, ...p.data },
          at: p.at,
          identity: `${obj.namespace ?? "default"}/${obj.label}`,
          value: Object.values(p.data).join(" "),
          ...p.warning ? { level: "warning" } : {}
        });
      }
    }
  }
};

// src/rules/parse-error.ts
var rule23 = {
  meta: {
    id: "parse-error",
    title: "File cannot be parsed",
    level: "error",
    securitySeverity: 5,
    precision: "very-high",
    description: "A manifest, compose or ACI file is not valid YAML (or is too deeply nested or alias-expanded to analyse), or a Dockerfile has an invalid escape directive or an unclosed here-document.",
    why: "A file that does not parse cannot be checked, and it will not deploy either: kubectl and the API server reject it. An unanalysable file must never pass a security gate silently.",
    fix: "Fix the syntax at the reported line. Validate locally with:\n\n```sh\nkubectl apply --dry-run=client -f <file>\n```",
    tags: ["security", "correctness"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      syntax: "This file could not be parsed: {message}. Nothing in it was checked.",
      dockerfile: "This Dockerfile will not build as written: {message}. The rest of it was still checked."
    },
    system: true
  },
  check() {
  }
};

// src/rules/privilege-escalation.ts
var rule24 = {
  meta: {
    id: "privilege-escalation",
    title: "Privilege escalation allowed",
    level: "error",
    securitySeverity: 7.5,
    precision: "very-high",
    description: "A container does not set allowPrivilegeEscalation: false, or is privileged / adds SYS_ADMIN, which allows escalation whatever the field says.",
    why: 'Without `allowPrivilegeEscalation: false` a process can gain more privileges than its parent (setuid binaries such as `sudo`, file capabilities): a foothold in the container becomes root in the container. Microsoft\'s "Best practices for pod security in AKS" says to design applications so that this setting is *always* false, and the Pod Security Standards *restricted* profile requires it. Kubernetes treats the field as true for a privileged container or one that adds `CAP_SYS_ADMIN`, so setting it to false there does not help.',
    fix: 'Set it in every container (it is a container-only field: at pod level it is ignored):\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: false\n      privileged: false\n      capabilities:\n        drop: ["ALL"]\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    silentUnless: "Windows pods (`spec.os.name: windows`) are exempt, as in the Pod Security Standards.",
    messages: {
      missing: "{container} does not set allowPrivilegeEscalation: false{hint}.",
      allowed: "{container} sets allowPrivilegeEscalation to {value}: processes can gain more privileges than their parent.",
      privileged: "{container} is privileged, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says.",
      sysAdmin: "{container} adds {capability}, so privilege escalation is always allowed, whatever allowPrivilegeEscalation says."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c, w) => {
      if (isWindowsPod(w)) return;
      const identity = c.label;
      const privileged = containerField(c, "privileged");
      if (privileged && asBool(privileged.value) === true) {
        ctx.report({ messageId: "privileged", data: { container: c.label }, at: privileged, identity });
        return;
      }
      const sysAdmin = capabilityItems(c, "add").find((i2) => i2.name === "SYS_ADMIN");
      if (sysAdmin) {
        const capability = sysAdmin.node.kind === "scalar" ? sysAdmin.node.text : "SYS_ADMIN";
        ctx.report({ messageId: "sysAdmin", data: { container: c.label, capability }, at: sysAdmin.node, identity });
        return;
      }
      const field = containerField(c, "allowPrivilegeEscalation");
      if (!field) {
        ctx.report({
          messageId: "missing",
          data: { container: c.label, hint: podLevelHint(c, "allowPrivilegeEscalation") },
          at: c.anchor,
          identity
        });
        return;
      }
      if (asBool(field.value) === false) return;
      const value = field.value.kind === "scalar" ? field.value.text || "null" : field.value.kind;
      ctx.report({ messageId: "allowed", data: { container: c.label, value }, at: field, identity });
    });
  }
};

// src/rules/privileged-container.ts
var rule25 = {
  meta: {
    id: "privileged-container",
    title: "Privileged container",
    level: "error",
    securitySeverity: 9,
    precision: "very-high",
    description: "A container sets securityContext.privileged: true (or, on Windows, windowsOptions.hostProcess: true).",
    why: 'A privileged container gets every capability and all host devices: it is root on the node, and one compromised pod becomes a compromised cluster node. The AKS pod security practice asks for the least privilege a container needs and no escalation (Microsoft, "Best practices for pod security in AKS"); the Pod Security Standards baseline forbids privileged pods.',
    fix: 'Remove `privileged: true` (or set it to false) and grant only the single capability the workload needs:\n\n```yaml\nsecurityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]   # only if really needed\n```',
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      privileged: "{container} runs privileged: it has full access to the host.",
      hostProcess: "{container} is a Windows HostProcess container: it runs directly on the node with full access to it."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const pair = containerField(c, "privileged");
      if (pair && asBool(pair.value) === true) {
        ctx.report({ messageId: "privileged", data: { container: c.label }, at: pair, identity: c.label });
      }
      const hostProcess = getPair(get(c.securityContext, "windowsOptions"), "hostProcess") ?? getPair(get(c.workload.podSecurityContext, "windowsOptions"), "hostProcess");
      if (hostProcess && asBool(hostProcess.value) === true) {
        ctx.report({ messageId: "hostProcess", data: { container: c.label }, at: hostProcess, identity: c.label });
      }
    });
  }
};

// src/data/deprecated-apis.ts
var APPS_V1 = [{ apiVersion: "apps/v1", since: "1.9" }];
var FLOWCONTROL = [
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: "1.29" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: "1.26" },
  { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", since: "1.23" }
];
var PSA = "Pod Security Admission (pod-security.kubernetes.io/enforce namespace labels) or a policy engine such as Azure Policy for AKS";
var r = (apiVersion, kind, removedIn, replacements, deprecatedIn, instead) => ({
  apiVersion,
  kind,
  deprecatedIn: deprecatedIn ?? replacements.map((x) => x.since).sort(compareVersions)[0],
  removedIn,
  replacements,
  ...instead ? { instead } : {}
});
var DEPRECATED_APIS = [
  r("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "1.22", [
    { apiVersion: "admissionregistration.k8s.io/v1", since: "1.16" }
  ]),
  r("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "1.22", [
    { apiVersion: "admissionregistration.k8s.io/v1", since: "1.16" }
  ]),
  r("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", [{ apiVersion: "apiextensions.k8s.io/v1", since: "1.16" }]),
  r("apiregistration.k8s.io/v1beta1", "APIService", "1.22", [{ apiVersion: "apiregistration.k8s.io/v1", since: "1.10" }]),
  r("apps/v1beta1", "ControllerRevision", "1.16", APPS_V1),
  r("apps/v1beta1", "Deployment", "1.16", APPS_V1),
  r("apps/v1beta1", "ReplicaSet", "1.16", APPS_V1),
  r("apps/v1beta1", "StatefulSet", "1.16", APPS_V1),
  r("apps/v1beta2", "ControllerRevision", "1.16", APPS_V1),
  r("apps/v1beta2", "DaemonSet", "1.16", APPS_V1),
  r("apps/v1beta2", "Deployment", "1.16", APPS_V1),
  r("apps/v1beta2", "ReplicaSet", "1.16", APPS_V1),
  r("apps/v1beta2", "StatefulSet", "1.16", APPS_V1),
  r("authentication.k8s.io/v1beta1", "TokenReview", "1.22", [{ apiVersion: "authentication.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("authorization.k8s.io/v1beta1", "SubjectAccessReview", "1.22", [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }]),
  r("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", [
    { apiVersion: "autoscaling/v2", since: "1.23" },
    { apiVersion: "autoscaling/v2beta2", since: "1.12" }
  ]),
  r("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", [{ apiVersion: "autoscaling/v2", since: "1.23" }]),
  r("batch/v1beta1", "CronJob", "1.25", [{ apiVersion: "batch/v1", since: "1.21" }]),
  r("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.22", [{ apiVersion: "certificates.k8s.io/v1", since: "1.19" }]),
  r("coordination.k8s.io/v1beta1", "Lease", "1.22", [{ apiVersion: "coordination.k8s.io/v1", since: "1.14" }]),
  r("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", [{ apiVersion: "discovery.k8s.io/v1", since: "1.21" }]),
  r("events.k8s.io/v1beta1", "Event", "1.25", [{ apiVersion: "events.k8s.io/v1", since: "1.19" }]),
  r("extensions/v1beta1", "DaemonSet", "1.16", APPS_V1),
  r("extensions/v1beta1", "Deployment", "1.16", APPS_V1),
  r("extensions/v1beta1", "Ingress", "1.22", [
    { apiVersion: "networking.k8s.io/v1", since: "1.19" },
    { apiVersion: "networking.k8s.io/v1beta1", since: "1.14" }
  ]),
  r("extensions/v1beta1", "NetworkPolicy", "1.16", [{ apiVersion: "networking.k8s.io/v1", since: "1.8" }]),
  r("extensions/v1beta1", "PodSecurityPolicy", "1.16", [{ apiVersion: "policy/v1beta1", since: "1.10" }], void 0, PSA),
  r("extensions/v1beta1", "ReplicaSet", "1.16", APPS_V1),
  r("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", FLOWCONTROL),
  r("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "1.26", FLOWCONTROL),
  r("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", FLOWCONTROL.slice(0, 2)),
  r("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29", FLOWCONTROL.slice(0, 2)),
  r("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", FLOWCONTROL.slice(0, 1)),
  r("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "1.32", FLOWCONTROL.slice(0, 1)),
  r("networking.k8s.io/v1beta1", "Ingress", "1.22", [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }]),
  r("networking.k8s.io/v1beta1", "IngressClass", "1.22", [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }]),
  r("node.k8s.io/v1beta1", "RuntimeClass", "1.25", [{ apiVersion: "node.k8s.io/v1", since: "1.20" }]),
  r("policy/v1beta1", "PodDisruptionBudget", "1.25", [{ apiVersion: "policy/v1", since: "1.21" }]),
  r("policy/v1beta1", "PodSecurityPolicy", "1.25", [], "1.21", PSA),
  r("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "Role", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "1.22", [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }]),
  r("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", [{ apiVersion: "scheduling.k8s.io/v1", since: "1.14" }]),
  r("storage.k8s.io/v1beta1", "CSIDriver", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.19" }]),
  r("storage.k8s.io/v1beta1", "CSINode", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.17" }]),
  r("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", [{ apiVersion: "storage.k8s.io/v1", since: "1.24" }]),
  r("storage.k8s.io/v1beta1", "StorageClass", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.6" }]),
  r("storage.k8s.io/v1beta1", "VolumeAttachment", "1.22", [{ apiVersion: "storage.k8s.io/v1", since: "1.13" }]),
  r("v1", "Endpoints", null, [{ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", since: "1.21" }], "1.33")
];
function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i2 = 0; i2 < Math.max(pa.length, pb.length); i2++) {
    const d = (pa[i2] ?? 0) - (pb[i2] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
var BY_KEY = new Map(DEPRECATED_APIS.map((d) => [`${d.apiVersion} ${d.kind}`, d]));
function deprecatedApi(apiVersion, kind) {
  return BY_KEY.get(`${apiVersion} ${kind}`);
}

// src/rules/removed-api-version.ts
function replacementFor(d, target) {
  const served = d.replacements.filter((x) => {
    if (compareVersions(x.since, target) > 0) return false;
    const gone = deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn;
    return !gone || compareVersions(gone, target) > 0;
  });
  const pick = served[0] ?? d.replacements.find((x) => !deprecatedApi(x.apiVersion, x.kind ?? d.kind)?.removedIn);
  if (!pick) return void 0;
  return pick.kind ? `${pick.apiVersion} ${pick.kind}` : pick.apiVersion;
}
var rule26 = {
  meta: {
    id: "removed-api-version",
    title: "Removed or deprecated Kubernetes API version",
    level: "error",
    securitySeverity: 4,
    precision: "very-high",
    description: "An object uses an apiVersion that the target Kubernetes version (kubernetesVersion) no longer serves (error) or deprecates (warning).",
    why: 'The AKS cluster practice (seed 001, "Regelmatig bijwerken naar de nieuwste versie van Kubernetes") asks you to upgrade regularly, because AKS supports only three minor versions, and warns that upgrades remove APIs your workloads depend on (as 1.16 did). A manifest with a removed apiVersion fails to apply after the upgrade, often during an incident; PodSecurityPolicy was removed in 1.25 without a replacement API, so its protection silently disappears. The table follows the upstream Kubernetes "Deprecated API Migration Guide" (src/data/deprecated-apis.ts names its sources). Set `kubernetesVersion` in .podguard.yml or pass `--kubernetes-version` to match your clusters.',
    fix: "Move to the replacement version the message names, and check the field changes the migration guide lists for it (`kubectl convert -f old.yaml --output-version apps/v1` does most of it):\n\n```yaml\napiVersion: apps/v1          # was extensions/v1beta1\nkind: Deployment\nspec:\n  selector:                  # required in apps/v1\n    matchLabels:\n      app: web\n```",
    tags: ["kubernetes", "upgrade", "aks"],
    kinds: ["kubernetes"],
    messages: {
      removed: "{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}): use {replacement}.",
      removedNoReplacement: "{kind} {apiVersion} is no longer served since Kubernetes {removedIn} (target {target}) and has no replacement API: use {instead}.",
      deprecated: "{kind} {apiVersion} is deprecated{removal} (target {target}): use {replacement}.",
      deprecatedNoReplacement: "{kind} {apiVersion} is deprecated{removal} (target {target}) and has no replacement API: use {instead}."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const target = ctx.settings.kubernetesVersion;
    for (const obj of file.objects) {
      const d = deprecatedApi(obj.apiVersion, obj.kind);
      if (!d || compareVersions(target, d.deprecatedIn) < 0) continue;
      const removed = d.removedIn !== null && compareVersions(target, d.removedIn) >= 0;
      const replacement = replacementFor(d, target);
      const base = removed ? "removed" : "deprecated";
      const data = {
        kind: obj.kind,
        apiVersion: obj.apiVersion,
        target,
        removedIn: d.removedIn ?? "",
        removal: d.removedIn ? ` and removed in Kubernetes ${d.removedIn}` : "",
        replacement: replacement ?? "",
        instead: d.instead ?? ""
      };
      ctx.report({
        messageId: replacement ? base : `${base}NoReplacement`,
        data,
        at: getPair(obj.node, "apiVersion") ?? obj.node,
        identity: `${obj.namespace ?? ""}/${obj.label}`,
        value: `${obj.apiVersion} ${obj.kind}`,
        ...removed ? {} : { level: "warning" }
      });
    }
  }
};

// src/rules/retired-keyvault-flexvolume.ts
var rule27 = {
  meta: {
    id: "retired-keyvault-flexvolume",
    title: "Retired Key Vault FlexVolume driver",
    level: "warning",
    securitySeverity: 5,
    precision: "very-high",
    description: "A pod mounts Azure Key Vault secrets with the retired FlexVolume driver (flexVolume.driver: azure/kv).",
    why: 'The older AKS pod security guidance (seed 000) recommended the Key Vault FlexVolume driver; its newer edition (seed 003, "Azure Key Vault mit Secrets Store CSI-Treiber") replaces it with the Secrets Store CSI driver and the Azure Key Vault provider. The FlexVolume project (Azure/kubernetes-keyvault-flexvol) is archived and gets no security fixes, Kubernetes deprecated FlexVolume itself, and the driver relies on AAD pod identity or service principal secrets stored in the cluster. The CSI driver is an AKS add-on (`az aks enable-addons --addons azure-keyvault-secrets-provider`) that works with Microsoft Entra Workload ID and rotates secrets.',
    fix: "Describe the secrets once in a SecretProviderClass and mount them with the CSI driver:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-kv\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload identity client id>   # Microsoft Entra Workload ID\n    keyvaultName: my-vault\n    tenantId: <tenant id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n---\n# in the pod spec, replacing the flexVolume volume:\nvolumes:\n  - name: secrets\n    csi:\n      driver: secrets-store.csi.k8s.io\n      readOnly: true\n      volumeAttributes:\n        secretProviderClass: app-kv\n```",
    tags: ["security", "kubernetes", "secrets", "aks", "retired"],
    kinds: ["kubernetes"],
    messages: {
      flexVolume: '{workload} volume "{volume}" uses the retired Key Vault FlexVolume driver ({driver}): move to the Secrets Store CSI driver with the Azure Key Vault provider.'
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      asItems(get(w.podSpec, "volumes")).forEach((v, i2) => {
        const driverPair = getPair(get(v, "flexVolume"), "driver");
        const driver = asText(driverPair?.value);
        if (!driverPair || driver === void 0 || !/(^|\/)azure\/kv$/i.test(driver.trim())) return;
        const volume = asText(get(v, "name")) ?? `#${i2 + 1}`;
        ctx.report({
          messageId: "flexVolume",
          data: { workload: w.label, volume, driver },
          at: driverPair,
          identity: `${w.label} volume "${volume}"`
        });
      });
    });
  }
};

// src/rules/retired-pod-identity.ts
var POD_IDENTITY_KINDS = /* @__PURE__ */ new Set(["AzureIdentity", "AzureIdentityBinding", "AzurePodIdentityException", "AzureAssignedIdentity"]);
var POD_IDENTITY_GROUP = "aadpodidentity.k8s.io/";
var BINDING_LABEL = "aadpodidbinding";
var rule28 = {
  meta: {
    id: "retired-pod-identity",
    title: "Retired AAD pod identity",
    level: "warning",
    securitySeverity: 6,
    precision: "very-high",
    description: "A manifest uses AAD pod identity (aadpodidbinding labels, AzureIdentity, AzureIdentityBinding or AzurePodIdentityException objects), retired in favour of Microsoft Entra Workload ID.",
    why: `The AKS pod security guidance (seeds 000 and 003, "Verwenden verwalteter Podidentit\xE4ten") describes managed pod identities. The open-source AAD pod identity project and the AKS pod-managed identity add-on built on it are retired: no fixes since September 2023 and no support from September 2025. Its NMI component intercepts every pod's traffic to the metadata endpoint and hands out the identity to any pod that carries the right label, so a label is all it takes to impersonate a workload. Microsoft Entra Workload ID replaces it: the pod exchanges a projected service account token for an Entra token through a federated identity credential, with no node-level interception.`,
    fix: 'Create a federated service account, label the pod for Workload ID and remove the pod identity objects and labels:\n\n```yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: my-app\n  annotations:\n    azure.workload.identity/client-id: <managed identity client id>\n---\n# pod template of the workload:\nmetadata:\n  labels:\n    azure.workload.identity/use: "true"   # replaces aadpodidbinding\nspec:\n  serviceAccountName: app\n```\n\nThen federate the identity with the service account: `az identity federated-credential create --name app --identity-name <identity> --resource-group <rg> --issuer <cluster OIDC issuer URL> --subject system:serviceaccount:my-app:app`.',
    tags: ["security", "kubernetes", "identity", "aks", "retired"],
    kinds: ["kubernetes"],
    messages: {
      bindingLabel: '{workload} uses AAD pod identity (label {label}={value}): move to Microsoft Entra Workload ID (azure.workload.identity/use: "true" and a federated service account).',
      identityObject: "{object} is an AAD pod identity object ({kind}): AAD pod identity is retired; use Microsoft Entra Workload ID."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    for (const obj of file.objects) {
      if (POD_IDENTITY_KINDS.has(obj.kind) && obj.apiVersion.startsWith(POD_IDENTITY_GROUP)) {
        ctx.report({
          messageId: "identityObject",
          data: { object: obj.label, kind: obj.kind },
          at: getPair(obj.node, "kind") ?? obj.node,
          identity: `${obj.namespace ?? "default"}/${obj.label}`
        });
      }
    }
    for (const w of file.workloads) {
      const labels = asMap(get(w.podMeta, "labels"));
      const pair = getPair(labels, BINDING_LABEL);
      if (!pair) continue;
      const value = pair.value.kind === "scalar" ? pair.value.text : "";
      ctx.report({
        messageId: "bindingLabel",
        data: { workload: w.label, label: BINDING_LABEL, value },
        at: pair,
        identity: w.label,
        value
      });
    }
  }
};

// src/rules/run-as-root.ts
var WINDOWS_ADMINS = /^(containeradministrator|administrator|nt authority\\system)$/i;
function windowsUser(c) {
  return getPair(get(c.securityContext, "windowsOptions"), "runAsUserName") ?? getPair(get(c.workload.podSecurityContext, "windowsOptions"), "runAsUserName");
}
var rule29 = {
  meta: {
    id: "run-as-root",
    title: "Container may run as root",
    level: "error",
    securitySeverity: 8,
    precision: "high",
    description: "A container has neither runAsNonRoot: true nor a non-root runAsUser (pod or container level), sets runAsUser/runAsGroup 0, or (Windows) runs as ContainerAdministrator.",
    why: 'The AKS pod security practice says pods should run as a defined user or group and not as root (Microsoft, "Best practices for pod security in AKS", which sets runAsUser: 1000). A process that is root in the container is root on the node once it escapes, and most images default to root unless told otherwise.',
    fix: "Set a non-root user for the pod (or the container) and let Kubernetes verify it:\n\n```yaml\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    profile: "restricted",
    defaultOptions: { minUid: 1 },
    optionsSchema: {
      type: "object",
      properties: { minUid: { type: "integer", minimum: 1, description: "Lowest accepted runAsUser (the seeds use 1000)." } },
      additionalProperties: false
    },
    messages: {
      missing: "{container} may run as root: set runAsNonRoot: true or {user}.",
      rootUser: "{container} runs as root: runAsUser is 0 (set at {source} level).",
      rootGroup: "{container} runs with the root group: runAsGroup is 0 (set at {source} level).",
      lowUid: "{container} runs as UID {uid}, below the configured minimum of {minUid}.",
      nonRootFalse: "{container} sets runAsNonRoot: false and no non-root runAsUser, so it may run as root.",
      windowsAdmin: "{container} runs as the Windows administrator account {user}.",
      windowsMissing: "{container} may run as ContainerAdministrator: set windowsOptions.runAsUserName: ContainerUser or runAsNonRoot: true."
    }
  },
  check(file, ctx) {
    const minUid = Number(ctx.options.minUid ?? 1);
    forEachContainer(file, (c, w) => {
      const identity = c.label;
      const declaredLinux = asText(get(get(w.podSpec, "os"), "name"))?.toLowerCase() === "linux";
      const winUser = declaredLinux ? void 0 : windowsUser(c);
      if (winUser || isWindowsPod(w)) {
        const user2 = asText(winUser?.value);
        if (winUser && user2 && WINDOWS_ADMINS.test(user2)) {
          ctx.report({ messageId: "windowsAdmin", data: { container: c.label, user: user2 }, at: winUser, identity, value: user2 });
          return;
        }
        if (user2) return;
        if (asBool(effective(c, "runAsNonRoot")?.node) === true) return;
        ctx.report({ messageId: "windowsMissing", data: { container: c.label }, at: c.anchor, identity });
        return;
      }
      const user = effective(c, "runAsUser");
      const group = effective(c, "runAsGroup");
      const nonRoot = effective(c, "runAsNonRoot");
      const uid = asInt(user?.node);
      if (group && asInt(group.node) === 0) {
        ctx.report({ messageId: "rootGroup", data: { container: c.label, source: group.source }, at: group.pair, identity });
      }
      if (user && uid === 0) {
        ctx.report({ messageId: "rootUser", data: { container: c.label, source: user.source }, at: user.pair, identity });
        return;
      }
      if (user && uid !== void 0 && uid < minUid) {
        ctx.report({ messageId: "lowUid", data: { container: c.label, uid, minUid }, at: user.pair, identity, value: String(uid) });
        return;
      }
      if (uid !== void 0 && uid >= minUid) return;
      const nonRootValue = asBool(nonRoot?.node);
      if (nonRootValue === true) return;
      if (nonRoot && nonRootValue === false) {
        ctx.report({ messageId: "nonRootFalse", data: { container: c.label }, at: nonRoot.pair, identity });
        return;
      }
      const wanted = minUid <= 1 ? "a non-zero runAsUser" : `a runAsUser of ${minUid} or more`;
      ctx.report({ messageId: "missing", data: { container: c.label, user: wanted }, at: c.anchor, identity });
    });
  }
};

// src/report/redact.ts
var MASK = "***";
var NOT_CREDENTIALS = /* @__PURE__ */ new Set([
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "null",
  "none",
  "nil",
  "undefined",
  "empty",
  "default",
  "secret",
  "password",
  "changeme",
  "changeit",
  "example",
  "placeholder",
  "redacted",
  "replace_me",
  "replaceme",
  "your-password",
  "your_password"
]);
function isCredentialLike(value) {
  const v = value.trim();
  if (v.length < 8) return false;
  if (NOT_CREDENTIALS.has(v.toLowerCase())) return false;
  if (/^[-+]?[0-9][0-9_.,:]*$/.test(v)) return false;
  if (/^(?:<[^<>]*>|\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|%[^%]+%|(.)\1+)$/s.test(v)) return false;
  if (/^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/.test(v) && v.split(/[-_. ]/).every((w) => /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(w))) return false;
  return true;
}
var Matcher = class {
  next = [/* @__PURE__ */ new Map()];
  fail = [0];
  /** Length of the longest value that ends at this state (0: none). */
  longest = [0];
  constructor(values, stats) {
    for (const v of values) {
      let s2 = 0;
      for (let i2 = 0; i2 < v.length; i2++) {
        const c = v.charCodeAt(i2);
        let t = this.next[s2].get(c);
        if (t === void 0) {
          t = this.next.length;
          this.next.push(/* @__PURE__ */ new Map());
          this.fail.push(0);
          this.longest.push(0);
          this.next[s2].set(c, t);
        }
        s2 = t;
      }
      this.longest[s2] = Math.max(this.longest[s2], v.length);
    }
    stats.statesBuilt += this.next.length;
    const queue = [...this.next[0].values()];
    for (let qi = 0; qi < queue.length; qi++) {
      const s2 = queue[qi];
      for (const [c, t] of this.next[s2]) {
        let f = this.fail[s2];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const g = this.next[f].get(c);
        this.fail[t] = g !== void 0 && g !== t ? g : 0;
        this.longest[t] = Math.max(this.longest[t], this.longest[this.fail[t]]);
        queue.push(t);
      }
    }
  }
  /** Character ranges [start, end) covered by some value, merged where they overlap. */
  ranges(text, stats) {
    const out = [];
    let s2 = 0;
    for (let i2 = 0; i2 < text.length; i2++) {
      const c = text.charCodeAt(i2);
      let t = this.next[s2].get(c);
      while (t === void 0 && s2 !== 0) {
        s2 = this.fail[s2];
        stats.steps++;
        t = this.next[s2].get(c);
      }
      s2 = t ?? 0;
      stats.steps++;
      const len = this.longest[s2];
      if (len === 0) continue;
      const start = i2 + 1 - len;
      const last = out[out.length - 1];
      if (last && start < last[1]) {
        last[0] = Math.min(last[0], start);
        last[1] = i2 + 1;
      } else out.push([start, i2 + 1]);
    }
    return out;
  }
};
function maskValues(text, values) {
  let out = text;
  for (const v of [...values].filter((x) => !!x && x.length > 0).sort((a, b) => b.length - a.length)) {
    if (out.includes(v)) out = out.split(v).join(MASK);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return out;
}
var Redactor = class {
  values = [];
  known = /* @__PURE__ */ new Set();
  matcher;
  /** Work counters (builds, states, steps). */
  stats = { builds: 0, statesBuilt: 0, steps: 0 };
  constructor(secrets = []) {
    for (const s2 of secrets) this.add(s2);
  }
  push(value) {
    if (this.known.has(value)) return;
    this.known.add(value);
    this.values.push(value);
    this.matcher = void 0;
  }
  /** Registers a secret value when it is credential-like; anything else is left to its own report. */
  add(secret) {
    if (this.known.has(secret) || !isCredentialLike(secret)) return;
    this.push(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.push(escaped);
    for (const line of secret.split(/\r?\n/)) if (line !== secret && line.trim().length >= 8) this.push(line);
  }
  /** The registered secrets. */
  get secrets() {
    return this.values;
  }
  /** Text with every registered secret replaced by a mask. */
  redact(text) {
    if (this.values.length === 0 || text.length === 0) return text;
    if (!this.matcher) {
      this.matcher = new Matcher(this.values, this.stats);
      this.stats.builds++;
    }
    const ranges = this.matcher.ranges(text, this.stats);
    if (ranges.length === 0) return text;
    const parts = [];
    let at = 0;
    for (const [start, end] of ranges) {
      parts.push(text.slice(at, start), MASK);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join("");
  }
};
function describeSecret(value) {
  const prefixLen = value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  const prefix = prefixLen ? `${value.slice(0, prefixLen)}\u2026` : "";
  return `${prefix}${prefix ? ", " : ""}${value.length} chars`;
}
function safeErrorText(err, max = 300) {
  const raw = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 2e3);
  return raw.replace(/"(?:[^"\\\n]|\\.){0,2000}"|'(?:[^'\\\n]|\\.){0,2000}'|`[^`\n]{0,2000}`/g, "\xAB\u2026\xBB").replace(/["'`][^\n]*/g, "\xAB\u2026").replace(
    /[A-Za-z0-9+/=_~.:@-]{8,}/g,
    (run) => /[0-9+/=_~@]/.test(run.replace(/^[a-z]+:\/\//i, "")) || run.length >= 20 && /[a-z]/.test(run) && /[A-Z]/.test(run) ? "\u2026" : run
  ).slice(0, max);
}

// src/secrets/heuristics.ts
function entropy(value) {
  if (value.length === 0) return 0;
  const counts = /* @__PURE__ */ new Map();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}
var PLACEHOLDER_WORDS = [
  "changeme",
  "change_me",
  "change-me",
  "changeit",
  "example",
  "placeholder",
  "redacted",
  "dummy",
  "xxxx",
  "your_",
  "your-",
  "yourpassword",
  "yoursecret",
  "replace_me",
  "replace-me",
  "replaceme",
  "insert_",
  "notasecret",
  "not-a-secret",
  "secretvalue",
  "********",
  "\u2022\u2022\u2022\u2022"
];
var KNOWN_PUBLIC_VALUES = /* @__PURE__ */ new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
]);
var EMPTY_WORDS = /* @__PURE__ */ new Set([
  "none",
  "null",
  "nil",
  "undefined",
  "empty",
  "n/a",
  "na",
  "tbd",
  "todo",
  "secret",
  "password",
  "token",
  "disabled",
  // Well-known local-development defaults: weak, but not a leaked credential.
  "postgres",
  "root",
  "admin",
  "guest",
  "test",
  "dev",
  "local",
  "localhost"
]);
function isPlaceholder(value) {
  const v = value.trim();
  if (v.length === 0) return true;
  if (KNOWN_PUBLIC_VALUES.has(v)) return true;
  const lower = v.toLowerCase();
  if (EMPTY_WORDS.has(lower)) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v) || /^%[A-Za-z0-9_]+%$/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (v.length >= 6 && new Set(v).size <= 2) return true;
  return false;
}
function isReference(value) {
  const v = value.trim();
  return /\$\{[^}]{0,256}\}/.test(v) || /\$\([^)]{0,256}\)/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || v.includes("{{") || v.includes("#{") || /^\[.*\]$/s.test(v) || /^@Microsoft\.KeyVault\(/i.test(v) || /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/i.test(v) || /^(vault|ref\+[a-z]+|secretsmanager|akv|azurekeyvault|keyvault|gcpsm|op|sops):/i.test(v) || /^projects\/[^/]+\/secrets\//.test(v);
}
function isPath(value) {
  const v = value.trim();
  return /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v) && !/\s/.test(v);
}
function urlInfo(value) {
  const m = /^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^/?#\s]*)/.exec(value.trim());
  if (!m) return { url: false, withCredentials: false };
  const authority = m[1] ?? "";
  const at = authority.lastIndexOf("@");
  return { url: true, withCredentials: at > 0 && authority.slice(0, at).includes(":") };
}
function isScalarWord(value) {
  const v = value.trim().toLowerCase();
  return /^(true|false|yes|no|on|off|y|n|enabled?|disabled?)$/.test(v) || /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(v) || /^0x[0-9a-f]+$/.test(v);
}
var STRONG_PARTS = /* @__PURE__ */ new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "apikey",
  "credential",
  "credentials",
  "pat"
]);
var WEAK_PARTS = /* @__PURE__ */ new Set(["key", "auth", "pass", "privatekey", "accesskey", "secretkey"]);
var DESCRIPTIVE_SUFFIX = /* @__PURE__ */ new Set([
  "name",
  "names",
  "path",
  "paths",
  "file",
  "files",
  "dir",
  "id",
  "ids",
  "url",
  "uri",
  "endpoint",
  "host",
  "port",
  "type",
  "mode",
  "method",
  "enabled",
  "disabled",
  "required",
  "ttl",
  "timeout",
  "expiry",
  "expiration",
  "lifetime",
  "length",
  "size",
  "header",
  "prefix",
  "format",
  "algorithm",
  "alg",
  "version",
  "ref",
  "location",
  "vault",
  "store",
  "provider",
  "issuer",
  "audience",
  "user",
  "username",
  "field",
  "policy",
  "scope",
  "scopes",
  "count",
  "source",
  "kind",
  "label",
  "env",
  "var"
]);
var partsCache = /* @__PURE__ */ new Map();
function nameParts(name) {
  let parts = partsCache.get(name);
  if (parts) return parts;
  if (partsCache.size >= 4096) partsCache.clear();
  parts = Object.freeze(splitName(name));
  partsCache.set(name, parts);
  return parts;
}
function splitName(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter((p) => p.length > 0);
}
function secretNameStrength(name) {
  const parts = nameParts(name);
  if (parts.length === 0 || parts.includes("public") || parts.includes("existing")) return void 0;
  const last = parts[parts.length - 1];
  if (DESCRIPTIVE_SUFFIX.has(last)) return void 0;
  for (let i2 = 0; i2 + 1 < parts.length; i2++) if (parts[i2] === "key" && parts[i2 + 1] === "vault") return void 0;
  let weak = false;
  for (let i2 = 0; i2 < parts.length; i2++) {
    const p = parts[i2];
    if (STRONG_PARTS.has(p)) return "strong";
    if (p === "api" && parts[i2 + 1] === "key") return "strong";
    if (WEAK_PARTS.has(p)) weak = true;
  }
  return weak ? "weak" : void 0;
}
function looksRandom(value, minLength = 12, minEntropy = 3) {
  return value.length >= minLength && !/\s/.test(value) && entropy(value) >= minEntropy;
}
function isLiteralSecret(value, strength) {
  const v = value.trim();
  if (v.length < 4 || isReference(v) || isPath(v) || isScalarWord(v) || isPlaceholder(v)) return false;
  const url = urlInfo(v);
  if (url.url) return url.withCredentials;
  if (strength === "weak") return looksRandom(v, 16, 3.2);
  return true;
}

// src/rules/secret-aci-registry-password.ts
var rule30 = {
  meta: {
    id: "secret-aci-registry-password",
    title: "ACI registry password committed",
    level: "error",
    securitySeverity: 8.5,
    precision: "very-high",
    description: "An Azure Container Instances `imageRegistryCredentials[].password` is a literal value.",
    why: "Seeds 000 and 002 say credentials stay out of code: use managed identities and Key Vault. A registry password in the container group file lets anyone with the repository pull (and, with an admin key, push) images. ACI can pull from Azure Container Registry with a managed identity, so no password is needed at all.",
    fix: 'Pull with a managed identity instead of a password:\n\n```yaml\nidentity:\n  type: UserAssigned\n  userAssignedIdentities:\n    /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull: {}\nproperties:\n  imageRegistryCredentials:\n    - server: myregistry.azurecr.io\n      identity: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aci-pull\n```\n\nOr pass the password at deploy time (`az container create --registry-password "$ACR_PASSWORD"`). Rotate the committed one.',
    tags: ["security", "secrets", "aci"],
    kinds: ["aci"],
    messages: {
      password: 'Container group "{group}" commits the password for registry "{server}" ({desc}); pull with a managed identity instead.'
    }
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    for (const cred of aciRegistryCredentials(file)) {
      const value = asText(cred.password?.value);
      if (!cred.password || value === void 0 || value.trim() === "" || isPlaceholder(value) || isReference(value)) continue;
      ctx.report({
        messageId: "password",
        data: { group: cred.group, server: cred.server ?? "(no server)", desc: describeSecret(value) },
        at: cred.password,
        identity: `${cred.group} ${cred.server ?? ""}`,
        secret: value
      });
    }
  }
};

// src/rules/secret-dockerfile-copy.ts
function keyMaterial(path) {
  const clean = path.replace(/^["']|["']$/g, "").replace(/\/+$/, "");
  const lower = clean.toLowerCase();
  const base = lower.slice(lower.lastIndexOf("/") + 1);
  if (/^\.env($|\.|\*)/.test(base) && !/\.(example|sample|template|dist|defaults?|schema)$/.test(base)) {
    return { what: "an environment file", weak: false };
  }
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base)) return { what: "an SSH private key", weak: false };
  if (base === ".ssh") return { what: "an SSH directory", weak: false };
  if (/\.(p12|pfx)$/.test(base)) return { what: "a PKCS#12 key bundle", weak: false };
  if (/\.key$/.test(base) && !/\.pub\.key$/.test(base)) return { what: "a private key file", weak: false };
  if (/\.pem$/.test(base) && !/(cert|crt|^ca[-_.]|[-_.]ca[-_.]|chain|bundle|pub|public|root)/.test(base)) {
    return { what: "a PEM key file", weak: false };
  }
  if (base === ".netrc" || base === ".git-credentials") return { what: "a credentials file", weak: false };
  if (base === ".npmrc" || base === ".pypirc") return { what: "a package registry config (usually holding a token)", weak: true };
  if (/(^|\/)\.docker\/config\.json$/.test(lower) || base === ".docker") return { what: "Docker registry credentials", weak: false };
  if (/(^|\/)\.aws\/credentials$/.test(lower) || base === ".aws") return { what: "AWS credentials", weak: false };
  if (/(^|\/)\.kube\/config$/.test(lower) || base === ".kube" || base === "kubeconfig") return { what: "a kubeconfig", weak: false };
  if (/(^|\/)\.azure$/.test(lower)) return { what: "Azure CLI credentials", weak: false };
  return void 0;
}
var rule31 = {
  meta: {
    id: "secret-dockerfile-copy",
    title: "Key material copied into the image",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "COPY or ADD of `.env` files, SSH keys, `*.pem`/`*.key`/`*.p12`/`*.pfx`, `.npmrc`, `.pypirc`, `.netrc`, `.docker/config.json`, `.aws/credentials` or a kubeconfig.",
    why: "Seed 002 says images carry no credentials. A copied key stays in its layer even when a later `RUN rm` deletes it, so everyone who can pull the image (or its build cache) can extract it with `docker save`. `.npmrc`/`.pypirc` are reported as warnings: they often hold only the registry URL, but a token in them ships with the image.",
    fix: "Mount the file for the one build step that needs it; it never lands in a layer:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n# docker build --secret id=npmrc,src=$HOME/.npmrc .\nRUN --mount=type=ssh git clone git@github.com:org/private.git\n```\n\nAt runtime, mount secrets from Key Vault (Secrets Store CSI driver) instead of baking them in, and add the files to `.dockerignore`.",
    tags: ["security", "secrets", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      keyMaterial: '{instruction} copies {what} ("{path}") into an image layer, where anyone who pulls the image can read it.'
    }
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    for (const ins of file.model.ast.getInstructions()) {
      const keyword = ins.getKeyword();
      if (keyword !== "COPY" && keyword !== "ADD") continue;
      const args = ins.getArguments();
      for (const arg of args.slice(0, -1)) {
        const path = arg.getValue().replace(/^\[|,$|\]$/g, "");
        if (path.startsWith("<<") || /^[a-z]+:\/\//i.test(path)) continue;
        const hit = keyMaterial(path);
        if (!hit) continue;
        ctx.report({
          messageId: "keyMaterial",
          data: { instruction: keyword, what: hit.what, path },
          at: dfRange(arg.getRange()),
          identity: `${keyword} ${path}`,
          ...hit.weak ? { level: "warning" } : {}
        });
      }
    }
  }
};

// src/rules/secret-dockerfile-run.ts
var PASSWORD_FLAG = /(?:^|\s)(?:-p|--password)(?:=|\s{1,10})(["']?)([^\s"';&|]{1,300})\1/;
var SETUPS = [
  { messageId: "dockerLogin", pattern: /\bdocker\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  { messageId: "dockerLogin", pattern: /\becho\s{1,10}(["']?)([^\s"'|]{1,300})\1\s{0,10}\|\s{0,10}docker\s{1,10}login\b[^\n;&|]{0,400}/g },
  { messageId: "azLogin", pattern: /\baz\s{1,10}login\b([^\n;&|]{0,400})/g, value: PASSWORD_FLAG },
  {
    messageId: "awsConfigure",
    pattern: /\baws\s{1,10}configure\s{1,10}set\s{1,10}(?:[\w-]{1,40}\.)?aws_secret_access_key\s{1,10}(["']?)([^\s"';&|]{1,300})\1/g
  },
  { messageId: "registryToken", pattern: /(?:_authToken|:_auth|:_password)\s{0,3}[=\s]\s{0,3}(["']?)([^\s"';&|]{1,300})\1/g }
];
var rule32 = {
  meta: {
    id: "secret-dockerfile-run",
    title: "Credential set up in a RUN step",
    level: "error",
    securitySeverity: 8.5,
    precision: "high",
    description: "A RUN step logs in or writes a credential (`docker login -p`, `az login -p`, `aws configure set aws_secret_access_key`, `_authToken=` in an `.npmrc`) without a BuildKit secret mount.",
    why: "Seed 002 says no credentials in images. A literal in a RUN line is in the Dockerfile and the image history; a value from `ARG`/`ENV` is recorded in the image metadata too; a written `.npmrc` or `~/.docker/config.json` stays in the layer. `RUN --mount=type=secret` is the only form where the value exists just for that step.",
    fix: 'Pass the credential as a BuildKit secret, available only while the step runs:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" --location=project && npm ci && rm .npmrc\n# docker build --secret id=npm_token,env=NPM_TOKEN .\n```\n\nFor Azure, prefer a managed or workload identity (`az login --identity`) to a service principal password.',
    tags: ["security", "secrets", "dockerfile"],
    kinds: ["dockerfile"],
    messages: {
      dockerLogin: "RUN logs in to a registry with {how}; use RUN --mount=type=secret.",
      azLogin: "RUN logs in to Azure with {how}; use a managed identity or RUN --mount=type=secret.",
      awsConfigure: "RUN stores an AWS secret access key in the image, from {how}; use RUN --mount=type=secret.",
      registryToken: "RUN writes a package registry token into the image, from {how}; use RUN --mount=type=secret."
    }
  },
  check(file, ctx) {
    if (!isDockerFile(file)) return;
    const { text, lines } = file.source;
    for (const ins of file.model.ast.getInstructions()) {
      if (ins.getKeyword() !== "RUN") continue;
      const r2 = ins.getRange();
      const start = lines.lineStart(r2.start.line + 1) + r2.start.character;
      const end = lines.lineStart(r2.end.line + 1) + r2.end.character;
      const body = text.slice(start, end);
      if (/--mount=\S{0,200}type=secret/.test(body)) continue;
      for (const { messageId, pattern, value: valueIn } of SETUPS) {
        for (const m of body.matchAll(new RegExp(pattern.source, pattern.flags))) {
          const value = (valueIn ? valueIn.exec(m[1] ?? "")?.[2] : m[2]) ?? "";
          if (!value || isPlaceholder(value)) continue;
          const variable = /^\$/.test(value);
          const how = variable ? `the build variable ${value} (kept in the image history)` : `a literal credential (${describeSecret(value)})`;
          const at = lines.range(start + m.index, start + m.index + m[0].length);
          ctx.report({
            messageId,
            data: { how },
            at,
            identity: `${messageId} ${variable ? value : ""}`,
            ...variable ? { value } : { secret: value }
          });
        }
      }
    }
  }
};

// src/rules/secret-env-literal.ts
function literalSecret(name, value) {
  if (value === void 0) return false;
  const strength = secretNameStrength(name);
  return strength !== void 0 && isLiteralSecret(value, strength);
}
var rule33 = {
  meta: {
    id: "secret-env-literal",
    title: "Secret-named variable with a literal value",
    level: "error",
    securitySeverity: 8,
    precision: "high",
    description: "A password, token, key or credential variable is set to a literal value: Kubernetes `env[].value` and ConfigMap `data`, ACI `environmentVariables` (`value`, and literal `secureValue`), compose `environment:`, Dockerfile `ENV` and `ARG` defaults.",
    why: "Seeds 000 and 002 say credentials never live in code or images. A literal in a manifest is readable by everyone with the repository; a Dockerfile `ENV` or `ARG` value is baked into the image layers and its history (`docker history` shows it). An ACI `secureValue` is hidden by the API, but a literal one is still committed to git. Names are matched as whole parts, BuildKit style (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`; not `PUBLIC_KEY`, `KEY_VAULT_NAME` or `SECRET_NAME`); references (`$(VAR)`, `${VAR}`, `{{ }}`), paths such as `/run/secrets/db`, URLs without credentials, booleans, numbers and placeholders are ignored.",
    fix: "Kubernetes: reference a Secret (synced from Key Vault by the Secrets Store CSI driver) instead of a literal:\n\n```yaml\nenv:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: db-password\n```\n\nAzure Container Instances: pass a `secureValue` at deploy time (`az container create --secure-environment-variables DB_PASSWORD=$DB_PASSWORD`, or a Key Vault reference in a Bicep/ARM parameter), never in the committed file.\n\ndocker-compose: `environment: [DB_PASSWORD]` (taken from the shell) or a `secrets:` file outside git.\n\nDockerfile: use a BuildKit secret during the build and runtime configuration afterwards:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n```\n\nThen rotate the credential: it is in the git history.",
    tags: ["security", "secrets"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      kubernetes: '{container} sets env "{name}" to a literal value ({desc}); use valueFrom.secretKeyRef.',
      configMap: '{object} data key "{name}" holds a literal secret ({desc}); ConfigMaps are plain configuration: use a Secret synced from Key Vault.',
      aciValue: '{container} sets environment variable "{name}" to a literal value ({desc}); use a secureValue passed at deploy time.',
      aciSecureValue: '{container} commits the secureValue of "{name}" ({desc}): secure in the API, but readable in git; pass it at deploy time.',
      compose: '{service} sets environment "{name}" to a literal value ({desc}); take it from the shell or a secrets file.',
      dockerEnv: "ENV {name} bakes a literal secret into the image ({desc}); use RUN --mount=type=secret.",
      dockerArg: "ARG {name} has a literal secret default ({desc}); build arguments stay in the image history: use RUN --mount=type=secret."
    }
  },
  check(file, ctx) {
    const report = (messageId, at, name, value, data) => {
      const inner = /^(["']).+\1$/s.test(value) ? value.slice(1, -1) : void 0;
      ctx.report({
        messageId,
        data: { name, desc: describeSecret(inner ?? value), ...data },
        at,
        identity: `${data.container ?? data.service ?? data.object ?? ""} ${name}`,
        secret: value,
        ...inner ? { secretForms: [inner] } : {}
      });
    };
    if (isDockerFile(file)) {
      checkDockerfile(file.model.ast.getInstructions(), ctx);
      return;
    }
    if (!isYamlFile(file)) return;
    if (file.kind === "kubernetes") {
      for (const obj of file.objects) {
        if (obj.kind !== "ConfigMap") continue;
        for (const pair of asMap(get(obj.node, "data"))?.pairs ?? []) {
          const value = asText(pair.value);
          if (value !== void 0 && literalSecret(pair.keyText, value))
            report("configMap", pair, pair.keyText, value, { object: obj.label });
        }
      }
      forEachContainer(file, (c) => {
        for (const e of asItems(get(c.node, "env"))) {
          const name = asText(get(e, "name"));
          const valuePair = getPair(e, "value");
          if (!name || !valuePair) continue;
          const value = asText(valuePair.value);
          if (value !== void 0 && literalSecret(name, value)) report("kubernetes", valuePair, name, value, { container: c.label });
        }
      });
    } else if (file.kind === "compose") {
      for (const svc of composeServices(file)) {
        for (const e of svc.environment) {
          if (e.value !== void 0 && literalSecret(e.name, e.value)) report("compose", e.nameAt, e.name, e.value, { service: svc.label });
        }
      }
    } else {
      for (const c of aciContainers(file)) {
        for (const e of c.environment) {
          const secure = asText(e.secureValue?.value);
          if (e.secureValue && secure !== void 0 && secure.trim() !== "" && !isPlaceholder(secure) && !isReference(secure)) {
            report("aciSecureValue", e.secureValue, e.name, secure, { container: c.label });
          }
          const plain = asText(e.value?.value);
          if (e.value && plain !== void 0 && literalSecret(e.name, plain))
            report("aciValue", e.value, e.name, plain, { container: c.label });
        }
      }
    }
  }
};
function checkDockerfile(instructions, ctx) {
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    let props;
    if (keyword === "ENV") props = ins.getProperties();
    else if (keyword === "ARG") props = [ins.getProperty()].filter((p) => p !== null);
    else continue;
    for (const p of props) {
      const name = p.getName();
      const value = p.getValue();
      const nameRange = p.getNameRange();
      const valueRange = p.getValueRange();
      if (!name || value === null || !valueRange || !literalSecret(name, value)) continue;
      ctx.report({
        messageId: keyword === "ENV" ? "dockerEnv" : "dockerArg",
        data: { name, desc: describeSecret(value) },
        at: dfRange({ start: nameRange.start, end: valueRange.end }),
        identity: `${keyword} ${name}`,
        secret: value
      });
    }
  }
}

// src/secrets/marvin32.ts
function rotl(x, n) {
  return (x << n | x >>> 32 - n) >>> 0;
}
function marvinState(data, seed) {
  let lo = Number(seed & 0xffffffffn) >>> 0;
  let hi = Number(seed >> 32n & 0xffffffffn) >>> 0;
  const mix = () => {
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 20);
    lo = lo + hi >>> 0;
    hi = rotl(hi, 9);
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 27);
    lo = lo + hi >>> 0;
    hi = rotl(hi, 19);
  };
  const n = data.length;
  let i2 = 0;
  for (; i2 + 4 <= n; i2 += 4) {
    lo = lo + (data[i2] | data[i2 + 1] << 8 | data[i2 + 2] << 16 | data[i2 + 3] << 24) >>> 0;
    mix();
  }
  let last = 128 << (n - i2) * 8;
  for (let k = 0; i2 + k < n; k++) last |= data[i2 + k] << k * 8;
  lo = lo + (last >>> 0) >>> 0;
  mix();
  mix();
  return [lo, hi];
}
function marvin32(data, seed) {
  const [lo, hi] = marvinState(data, seed);
  return (lo ^ hi) >>> 0;
}
function seedFromName(name) {
  let seed = 0n;
  for (const ch of name) seed = seed << 8n | BigInt(ch.charCodeAt(0) & 255);
  return seed;
}

// src/secrets/detectors.ts
function regexDetector(spec) {
  if (!spec.pattern.global) throw new Error(`detector ${spec.id}: pattern must be global`);
  const detector = {
    id: spec.id,
    label: spec.label,
    keywords: spec.keywords,
    level: spec.level,
    precision: spec.precision,
    messages: { [spec.id]: spec.message ?? `${spec.label} in plaintext ({desc}).` },
    pattern: spec.pattern,
    find(text) {
      const out = [];
      if (spec.textTest && !spec.textTest(text)) return out;
      const re = new RegExp(spec.pattern.source, spec.pattern.flags);
      for (const m of text.matchAll(re)) {
        const value = m[spec.group ?? 0];
        if (value === void 0 || value.length === 0) continue;
        const offsetInMatch = spec.group ? m[0].indexOf(value) : 0;
        const start = m.index + offsetInMatch;
        if (isPlaceholder(value) || isReference(value)) continue;
        if (spec.minEntropy !== void 0 && entropy(value) < spec.minEntropy) continue;
        if (spec.accept && !spec.accept(value)) continue;
        out.push({
          detector,
          messageId: spec.id,
          label: spec.label,
          value,
          start,
          end: start + value.length,
          level: spec.level,
          precision: spec.precision,
          verified: false
        });
      }
      return out;
    }
  };
  return detector;
}
var s = (...names) => names.map(seedFromName);
var MESSAGING = s("Send0000", "Listen00", "Manage00", "System00", "Unknown0");
var AZURE_KEY_KINDS = [
  { signature: "+ASt", seeds: s("Default0"), messageId: "azureStorageKey", label: "Azure Storage account key" },
  {
    signature: "ACDb",
    seeds: s("MastRO00", "MastRW00", "SysAll00", "Resour00", "SystRO00", "SystRW00", "Encryp00"),
    messageId: "azureCosmosKey",
    label: "Azure Cosmos DB key"
  },
  { signature: "+ASb", seeds: MESSAGING, messageId: "azureServiceBusKey", label: "Azure Service Bus key" },
  { signature: "+AEh", seeds: MESSAGING, messageId: "azureEventHubKey", label: "Azure Event Hubs key" },
  { signature: "+ARm", seeds: MESSAGING, messageId: "azureRelayKey", label: "Azure Relay key" },
  { signature: "+ACR", seeds: s("ACRDflt0"), messageId: "azureContainerRegistryKey", label: "Azure Container Registry key" },
  { signature: "AzFu", seeds: s("Functi00", "System00", "Master00"), messageId: "azureFunctionKey", label: "Azure Functions key" },
  { signature: "AzSe", seeds: s("Query000", "PAdmin00"), messageId: "azureSearchKey", label: "Azure AI Search key" },
  {
    signature: "APIM",
    seeds: s("Tenant00", "IoTHub00", "Gatewy00", "GitKey00"),
    messageId: "azureApimKey",
    label: "Azure API Management key"
  },
  { signature: "AzCa", seeds: s("Access00"), messageId: "azureRedisKey", label: "Azure Cache for Redis key" },
  { signature: "AZEG", seeds: s("Default0"), messageId: "azureEventGridKey", label: "Azure Event Grid key" },
  { signature: "+ABa", seeds: s("AbAcct00"), messageId: "azureBatchKey", label: "Azure Batch key" },
  { signature: "AIoT", seeds: s("IoTHub00", "DpsKey00", "Device00"), messageId: "azureIotKey", label: "Azure IoT key" },
  { signature: "+AMC", seeds: s("Classic0"), messageId: "azureMlKey", label: "Azure ML web service key" }
];
var KINDS_BY_SIGNATURE = new Map(AZURE_KEY_KINDS.map((k) => [k.signature, k]));
function base64Bytes(text) {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
function verifyAzureKey(token) {
  const trimmed = token.replace(/=+$/, "");
  if (trimmed.length < 32 || trimmed.length > 120) return void 0;
  const kind = KINDS_BY_SIGNATURE.get(trimmed.slice(-10, -6));
  if (!kind) return void 0;
  const bytes = base64Bytes(trimmed);
  if (bytes.length < 24) return void 0;
  const urlSafe = /[-_]/.test(trimmed);
  if (Buffer.from(bytes).toString(urlSafe ? "base64url" : "base64").replace(/=+$/, "") !== trimmed)
    return void 0;
  const body = bytes.subarray(0, bytes.length - 4);
  const expected = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(bytes.length - 4);
  for (const seed of kind.seeds) if (marvin32(body, seed) === expected) return kind;
  return void 0;
}
var azureIdentifiable = {
  id: "azureIdentifiableKey",
  label: "Azure identifiable key",
  keywords: [...new Set(AZURE_KEY_KINDS.map((k) => k.signature.toLowerCase()))],
  level: "error",
  precision: "very-high",
  messages: Object.fromEntries(AZURE_KEY_KINDS.map((k) => [k.messageId, `${k.label}, checksum verified ({desc}).`])),
  find(text) {
    const out = [];
    for (const m of text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,120}={0,2}/g)) {
      const kind = verifyAzureKey(m[0]);
      if (!kind) continue;
      out.push({
        detector: azureIdentifiable,
        messageId: kind.messageId,
        label: kind.label,
        value: m[0],
        start: m.index,
        end: m.index + m[0].length,
        level: "error",
        precision: "very-high",
        verified: true
      });
    }
    return out;
  }
};
var privateKey = {
  id: "privateKey",
  label: "private key",
  keywords: ["private key"],
  level: "error",
  precision: "very-high",
  messages: { privateKey: "Private key block ({label}) in plaintext ({desc})." },
  find(text) {
    const out = [];
    const begin = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g;
    let m;
    while ((m = begin.exec(text)) !== null) {
      const endMarker = `-----END ${m[1]}-----`;
      const end = text.indexOf(endMarker, begin.lastIndex);
      if (end < 0) break;
      const body = text.slice(begin.lastIndex, end).replace(/\\[nr]/g, "").replace(/^[A-Za-z-]+:.*$/gm, "").replace(/[\s"',|+]/g, "");
      begin.lastIndex = end + endMarker.length;
      if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || isPlaceholder(body) || entropy(body) < 4.5) continue;
      out.push({
        detector: privateKey,
        messageId: "privateKey",
        label: m[1].toLowerCase(),
        value: text.slice(m.index, end + endMarker.length),
        start: m.index,
        end: end + endMarker.length,
        level: "error",
        precision: "very-high",
        verified: false
      });
    }
    return out;
  }
};
var B64 = "A-Za-z0-9+/";
var DETECTORS = [
  azureIdentifiable,
  privateKey,
  regexDetector({
    id: "azureAnnotatedKey",
    label: "Azure common annotated key (Azure OpenAI, AI services, Azure DevOps)",
    keywords: ["jqqj9"],
    level: "error",
    precision: "very-high",
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?(?![A-Za-z0-9])/g
  }),
  regexDetector({
    id: "entraClientSecret",
    label: "Microsoft Entra ID client secret",
    keywords: ["8q~", "7q~"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "azureStorageLegacyKey",
    label: "Azure Storage or Cosmos DB account key",
    keywords: ["accountkey"],
    level: "error",
    precision: "high",
    pattern: new RegExp(`AccountKey\\s{0,3}=\\s{0,3}([${B64}]{86}==)(?![${B64}=])`, "gi"),
    group: 1,
    minEntropy: 4.5
  }),
  regexDetector({
    id: "azureSharedAccessKey",
    label: "Azure Service Bus / Event Hubs shared access key",
    keywords: ["sharedaccesskey"],
    level: "error",
    precision: "high",
    pattern: new RegExp(`SharedAccessKey\\s{0,3}=\\s{0,3}([${B64}]{43}=)(?![${B64}=])`, "gi"),
    group: 1,
    minEntropy: 4
  }),
  regexDetector({
    id: "sasToken",
    label: "Azure shared access signature (SAS) token",
    keywords: ["sig="],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9])sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,90}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9%])/g,
    group: 1,
    minEntropy: 4,
    // A signature alone is often a docs sample; `sv=` (the SAS version) makes it a real token.
    textTest: (text) => /(?:^|[?&;\s"'])sv=\d{4}-\d{2}-\d{2}/.test(text)
  }),
  regexDetector({
    id: "githubToken",
    label: "GitHub token",
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "gitlabToken",
    label: "GitLab token",
    keywords: ["glpat-", "glrt-", "gldt-", "glptt-", "glcbt-", "gloas-"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])(?:glpat|glrt|gldt|glptt|glcbt|gloas)-[A-Za-z0-9_.-]{20,80}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2
  }),
  regexDetector({
    id: "slackWebhook",
    label: "Slack webhook URL",
    keywords: ["hooks.slack.com"],
    level: "error",
    precision: "high",
    // The path after the fixed host and kind is the credential.
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/]{20,120})(?![A-Za-z0-9_/])/g,
    group: 1,
    accept: (v) => /[A-Za-z0-9]{20,}$/.test(v)
  }),
  regexDetector({
    id: "slackToken",
    label: "Slack token",
    keywords: ["xox"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9-])xox[abposre]-(?:\d{1,14}-){0,3}[A-Za-z0-9-]{10,120}(?![A-Za-z0-9-])/g,
    minEntropy: 3
  }),
  regexDetector({
    id: "npmToken",
    label: "npm access token",
    keywords: ["npm_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "pypiToken",
    label: "PyPI API token",
    keywords: ["pypi-ageichlwas5vcmc"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}(?![A-Za-z0-9_-])/g
  }),
  regexDetector({
    id: "dockerHubToken",
    label: "Docker Hub personal access token",
    keywords: ["dckr_pat_", "dckr_oat_"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2
  }),
  regexDetector({
    id: "awsAccessKeyId",
    label: "AWS access key id",
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    minEntropy: 3
  }),
  regexDetector({
    id: "awsSecretKey",
    label: "AWS secret access key",
    keywords: ["aws_secret", "awssecret", "secret_access_key", "secretaccesskey", "aws-secret"],
    level: "error",
    precision: "high",
    pattern: new RegExp(
      `(?:(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret[_.-]?key)["']?\\s{0,4}[:=]\\s{0,4}["']?([${B64}]{40})(?![${B64}=])`,
      "gi"
    ),
    group: 1,
    minEntropy: 4
  }),
  regexDetector({
    id: "gcpApiKey",
    label: "Google Cloud API key",
    keywords: ["aiza"],
    level: "error",
    precision: "high",
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5
  }),
  regexDetector({
    id: "gcpServiceAccount",
    label: "Google Cloud service account key (JSON)",
    keywords: ["private_key_id"],
    level: "error",
    precision: "high",
    pattern: /\\?"private_key_id\\?"\s{0,4}:\s{0,4}\\?"([a-f0-9]{40})\\?"/g,
    group: 1,
    textTest: (text) => text.includes("service_account")
  }),
  regexDetector({
    id: "connectionStringPassword",
    label: "connection string password",
    keywords: ["password=", "pwd=", "password =", "pwd ="],
    level: "warning",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9_])(?:Password|Pwd)\s{0,3}=\s{0,3}([^;"'\s&]{4,200})/gi,
    group: 1,
    // Only in a connection string: server/user/database keys and `;` separators in the same text.
    textTest: (text) => text.includes(";") && /(?:server|data source|host|user id|uid|database|initial catalog|address)\s{0,3}=/i.test(text)
  }),
  regexDetector({
    id: "urlCredentials",
    label: "URL with embedded password",
    keywords: ["://"],
    level: "warning",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"<>]{1,128}:([^\s/?#@'"<>]{3,256})@[A-Za-z0-9[]/g,
    group: 1
  }),
  regexDetector({
    id: "jwt",
    label: "JSON Web Token",
    keywords: ["eyj"],
    level: "note",
    precision: "medium",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_-])/g
  })
];
var TOKEN_MESSAGES = Object.assign({}, ...DETECTORS.map((d) => d.messages));
var KEYWORD_OWNERS = /* @__PURE__ */ new Map();
DETECTORS.forEach((d, i2) => {
  for (const k of d.keywords) KEYWORD_OWNERS.set(k, [...KEYWORD_OWNERS.get(k) ?? [], i2]);
});
var LONGEST_KEYWORD = Math.max(...[...KEYWORD_OWNERS.keys()].map((k) => k.length));
var ANY_KEYWORD = new RegExp([...KEYWORD_OWNERS.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
function detectorsWithKeywords(text) {
  const present = new Array(DETECTORS.length).fill(false);
  ANY_KEYWORD.lastIndex = 0;
  for (let m = ANY_KEYWORD.exec(text); m; m = ANY_KEYWORD.exec(text)) {
    const window = text.slice(m.index, m.index + LONGEST_KEYWORD).toLowerCase();
    for (const [k, owners] of KEYWORD_OWNERS) if (window.startsWith(k)) for (const i2 of owners) present[i2] = true;
    ANY_KEYWORD.lastIndex = m.index + 1;
  }
  return present;
}
function findTokens(text, only) {
  const present = detectorsWithKeywords(text);
  const all = [];
  DETECTORS.forEach((d, rank) => {
    if (only && !only(d)) return;
    if (!present[rank]) return;
    for (const m of d.find(text)) all.push({ m, rank });
  });
  all.sort((a, b) => a.m.start - b.m.start || a.rank - b.rank);
  const kept = [];
  for (const x of all) {
    const last = kept[kept.length - 1];
    if (last && x.m.start < last.m.end) {
      if (x.rank < last.rank) kept[kept.length - 1] = x;
      continue;
    }
    kept.push(x);
  }
  return kept.map((x) => x.m);
}

// src/rules/secret-kubernetes-secret.ts
function decodeBase64(text) {
  const compact = text.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return void 0;
  return Buffer.from(compact, "base64").toString("utf8");
}
function dockerAuths(json2) {
  let parsed;
  try {
    parsed = JSON.parse(json2);
  } catch {
    return [];
  }
  const auths = parsed?.auths;
  if (!auths || typeof auths !== "object") return [];
  const out = [];
  for (const [registry, entry] of Object.entries(auths)) {
    if (!entry || typeof entry !== "object") continue;
    const e = entry;
    const auth = typeof e.auth === "string" ? e.auth : void 0;
    const password = typeof e.password === "string" ? e.password : typeof e.identitytoken === "string" ? e.identitytoken : void 0;
    if (auth) {
      const decoded = decodeBase64(auth);
      const pass = decoded?.slice(decoded.indexOf(":") + 1);
      if (!pass || isPlaceholder(pass) || isReference(pass)) continue;
      out.push({ registry, secret: auth, password: pass, decoded });
    } else if (password && !isPlaceholder(password) && !isReference(password)) {
      out.push({ registry, secret: password, password });
    }
  }
  return out;
}
var rule34 = {
  meta: {
    id: "secret-kubernetes-secret",
    title: "Plaintext Kubernetes Secret committed",
    level: "error",
    securitySeverity: 9,
    precision: "high",
    description: "A `kind: Secret` manifest carries literal `data` (base64 is an encoding, not encryption) or `stringData` values, including `.dockerconfigjson` registry credentials.",
    why: "The AKS and container guidance (seeds 000 and 002) says credentials never live in code or images: keep them in Azure Key Vault and mount them with the Secrets Store CSI driver, or use workload identity so there is no secret at all. A Secret manifest in git hands every reader of the repository, every fork and every CI log the credential; its base64 `data` decodes with one command. Encrypted forms (Sealed Secrets, SOPS) and references (ExternalSecret, SecretProviderClass) are not reported.",
    fix: "Delete the Secret from git, rotate the credential, and let the cluster fetch it from Key Vault:\n\n```yaml\napiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: app-secrets\nspec:\n  provider: azure\n  parameters:\n    clientID: <workload-identity-client-id>\n    keyvaultName: my-vault\n    tenantId: <tenant-id>\n    objects: |\n      array:\n        - |\n          objectName: db-password\n          objectType: secret\n  secretObjects:            # optional: sync to a Kubernetes Secret for env vars\n    - secretName: app-secrets\n      type: Opaque\n      data:\n        - objectName: db-password\n          key: password\n```\n\nOr commit only an encrypted form (SealedSecret, SOPS) or an ExternalSecret that points at the vault.",
    tags: ["security", "secrets", "kubernetes"],
    kinds: ["kubernetes"],
    messages: {
      data: '{object} data key "{key}" holds a plaintext value (base64 only encodes it; {desc}).',
      dataToken: '{object} {field} key "{key}" holds a {tokenType} in plaintext ({desc}).',
      stringData: '{object} stringData key "{key}" holds a plaintext value ({desc}).',
      dockerAuth: '{object} registry credentials for "{registry}" are committed in .dockerconfigjson ({desc}).'
    }
  },
  check(file, ctx) {
    if (!isYamlFile(file)) return;
    if (file.docs.some((d) => get(d.root ?? void 0, "sops") !== void 0)) return;
    for (const obj of file.objects) {
      if (obj.kind !== "Secret") continue;
      const type2 = asText(get(obj.node, "type")) ?? "Opaque";
      const report = (messageId, pair, value, forms, data) => {
        ctx.report({
          messageId,
          data: { object: obj.label, key: pair.keyText, desc: describeSecret(value), ...data },
          at: pair,
          identity: `${obj.label} ${pair.keyText}`,
          secret: value,
          secretForms: forms
        });
      };
      for (const [field, base64] of [
        ["data", true],
        ["stringData", false]
      ]) {
        const map2 = asMap(get(obj.node, field));
        if (!map2) continue;
        for (const pair of map2.pairs) {
          const raw = asText(pair.value);
          if (raw === void 0 || raw.trim() === "" || raw.startsWith("ENC[")) continue;
          const decoded = base64 ? decodeBase64(raw) ?? raw : raw;
          if (isPlaceholder(decoded) || isReference(decoded)) continue;
          const forms = decoded === raw ? [] : [decoded];
          if (pair.keyText === ".dockerconfigjson" || pair.keyText === ".dockercfg") {
            const auths = dockerAuths(decoded);
            for (const a of auths) {
              ctx.report({
                messageId: "dockerAuth",
                data: { object: obj.label, registry: a.registry, desc: describeSecret(a.password) },
                at: pair,
                identity: `${obj.label} ${a.registry}`,
                secret: raw,
                secretForms: [decoded, a.secret, a.password, ...a.decoded ? [a.decoded] : []]
              });
            }
            if (auths.length > 0 || type2 === "kubernetes.io/dockerconfigjson") continue;
          }
          const token = findTokens(decoded)[0];
          if (token) {
            report("dataToken", pair, decoded, [raw, token.value], { tokenType: token.label, field });
          } else {
            report(base64 ? "data" : "stringData", pair, decoded, base64 ? [raw] : forms, {});
          }
        }
      }
    }
  }
};

// src/rules/secret-token.ts
var rule35 = {
  meta: {
    id: "secret-token",
    title: "Credential token committed",
    level: "error",
    securitySeverity: 9,
    precision: "high",
    description: "A known credential format appears in the file: Azure identifiable keys (Marvin32 checksum verified), Entra ID client secrets, Azure annotated (JQQJ) keys, storage/Service Bus keys in connection strings, SAS tokens, private keys, AWS, GCP, GitHub, GitLab, Slack, npm, PyPI and Docker Hub tokens, passwords in connection strings and URLs, JWTs.",
    why: "Seeds 000 and 002 say no credentials in code or images: use Key Vault with the Secrets Store CSI driver and managed or workload identities. A token in a committed file is readable by everyone with access to the repository, its forks and its CI logs, and stays in the git history after deletion. Checksum-verified and provider-specific formats are errors (SARIF precision very-high/high); passwords in connection strings and URLs are warnings (medium); JWTs are notes, because many are expired or test tokens.",
    fix: 'Remove the value, **rotate it** (it stays in git history), and reference it instead:\n\n```yaml\n# Kubernetes: from a Secret synced from Key Vault by the Secrets Store CSI driver\nenv:\n  - name: STORAGE_CONNECTION_STRING\n    valueFrom:\n      secretKeyRef:\n        name: app-secrets\n        key: storage-connection-string\n```\n\nBetter still, drop the key: Azure services accept workload identity (`azure.workload.identity/use: "true"`) instead of account keys. In a Dockerfile, use `RUN --mount=type=secret,id=...`.',
    tags: ["security", "secrets"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: TOKEN_MESSAGES,
    defaultOptions: { ignoreTypes: [] },
    optionsSchema: {
      type: "object",
      properties: {
        ignoreTypes: {
          type: "array",
          items: { type: "string", enum: Object.keys(TOKEN_MESSAGES) },
          uniqueItems: true,
          description: "Token types (message ids, e.g. jwt, urlCredentials) not to report."
        }
      },
      additionalProperties: false
    }
  },
  check(file, ctx) {
    const { text, lines } = file.source;
    let from = 0;
    let to = text.length;
    const skip = [];
    if (isYamlFile(file)) {
      const doc = file.docs[0];
      const nextSeparator = (offset) => {
        const i2 = text.slice(offset).search(/^---/m);
        return i2 < 0 ? text.length : offset + i2;
      };
      if (!doc?.root) {
        if (doc && (doc.index !== 0 || nextSeparator(4) < text.length)) return;
      } else {
        from = doc.index === 0 ? 0 : text.lastIndexOf("\n---", doc.root.start) + 1;
        to = nextSeparator(doc.root.end);
      }
      for (const obj of file.objects) {
        if (obj.kind !== "Secret") continue;
        for (const field of ["data", "stringData"]) {
          const m = asMap(get(obj.node, field));
          if (m) skip.push([m.start, m.end]);
        }
      }
    }
    const ignored = new Set(Array.isArray(ctx.options.ignoreTypes) ? ctx.options.ignoreTypes : []);
    const region = text.slice(from, to);
    for (const m of findTokens(region)) {
      if (ignored.has(m.messageId)) continue;
      const start = from + m.start;
      const end = from + m.end;
      if (skip.some(([a, b]) => start >= a && end <= b)) continue;
      ctx.report({
        messageId: m.messageId,
        data: { desc: describeSecret(m.value), label: m.label },
        at: lines.range(start, end),
        identity: m.messageId,
        secret: m.value,
        level: m.level,
        properties: { precision: m.precision, tokenType: m.label, checksumVerified: m.verified }
      });
    }
  }
};

// src/rules/service-account-token-automount.ts
var STATE_KEY = "state";
var saKey = (namespace, name) => `${namespace ?? ""}/${name}`;
function stateOf3(map2) {
  let s2 = map2.get(STATE_KEY);
  if (!s2) {
    s2 = { pending: [], optedOut: /* @__PURE__ */ new Set(), declared: /* @__PURE__ */ new Set() };
    map2.set(STATE_KEY, s2);
  }
  return s2;
}
var rule36 = {
  meta: {
    id: "service-account-token-automount",
    title: "Service account token automounted",
    level: "note",
    securitySeverity: 3,
    precision: "medium",
    description: "A pod spec does not set automountServiceAccountToken: false (and its ServiceAccount, if scanned, does not either).",
    why: `By default Kubernetes mounts a token for the pod's ServiceAccount into every container. Most applications never call the Kubernetes API, but anyone who compromises the container can use that token with whatever RBAC rights the account has, or later gains. Microsoft's "Best practices for pod security in AKS" asks to limit credential exposure and to give pods only the access they need.`,
    fix: "Turn the token off for pods that do not talk to the Kubernetes API (on the pod, or on its ServiceAccount):\n\n```yaml\nspec:\n  automountServiceAccountToken: false\n```",
    tags: ["security", "kubernetes", "credentials"],
    kinds: ["kubernetes"],
    silentUnless: "A ServiceAccount with automountServiceAccountToken: false in the scanned files (same namespace and name) satisfies the rule for the pods that use it; in a changed-files scan, pods of a named ServiceAccount are judged only when that ServiceAccount is among the changed files",
    messages: {
      missing: "{workload} gets a service account token mounted ({serviceAccount}): set automountServiceAccountToken: false if it does not call the Kubernetes API.",
      enabled: "{workload} sets automountServiceAccountToken: true: every container gets a Kubernetes API token."
    }
  },
  check(file, ctx) {
    if (file.kind !== "kubernetes") return;
    const state = stateOf3(ctx.state);
    for (const obj of file.objects) {
      if (obj.kind !== "ServiceAccount" || !obj.name) continue;
      state.declared.add(saKey(obj.namespace, obj.name));
      if (asBool(get(obj.node, "automountServiceAccountToken")) === false) state.optedOut.add(saKey(obj.namespace, obj.name));
    }
    forEachWorkload(file, (w) => {
      const pair = getPair(w.podSpec, "automountServiceAccountToken");
      const value = asBool(pair?.value);
      if (value === false) return;
      if (pair && value === true) {
        ctx.report({ messageId: "enabled", data: { workload: w.label }, at: pair, identity: w.label });
        return;
      }
      const serviceAccount = asText(get(w.podSpec, "serviceAccountName")) ?? asText(get(w.podSpec, "serviceAccount")) ?? "default";
      state.pending.push({
        ...spot(file.source, getPair(w.podSpec, "containers") ?? w.podSpec),
        workload: w.label,
        namespace: w.object.namespace,
        serviceAccount
      });
    });
  },
  finish(ctx) {
    const state = stateOf3(ctx.state);
    for (const p of state.pending) {
      const sa = saKey(p.namespace, p.serviceAccount);
      if (state.optedOut.has(sa)) continue;
      if (ctx.partial && p.serviceAccount !== "default" && !state.declared.has(sa)) continue;
      ctx.report({
        messageId: "missing",
        data: { workload: p.workload, serviceAccount: `ServiceAccount "${p.serviceAccount}"` },
        at: p.at,
        file: p.file,
        identity: p.workload
      });
    }
  }
};

// src/rules/suppression-without-reason.ts
var rule37 = {
  meta: {
    id: "suppression-without-reason",
    title: "Suppression without a reason",
    level: "warning",
    securitySeverity: 3,
    precision: "very-high",
    description: "A podguard-ignore comment or podguard.dev/ignore annotation gives no reason after `--`, so it suppresses nothing.",
    why: "A suppression is a security exception that someone will have to review later. Without the reason, a reviewer cannot tell an accepted risk from a silenced warning, so podguard only honours suppressions that say why (turn this rule off to accept reasonless ones).",
    fix: "Add the reason after ` -- `, and an expiry date when the exception is temporary:\n\n```yaml\n# podguard-ignore run-as-root until=2027-03-31 -- vendor image needs root until v2 (TICKET-123)\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      missing: 'This {form} for {rules} has no reason, so it has no effect: add " -- <why this is acceptable>".'
    },
    system: true
  },
  check() {
  }
};

// src/rules/unused-suppression.ts
var rule38 = {
  meta: {
    id: "unused-suppression",
    title: "Unused suppression",
    level: "warning",
    securitySeverity: 2,
    precision: "very-high",
    description: "A podguard-ignore comment or podguard.dev/ignore annotation names a rule that reports nothing where it applies.",
    why: "A suppression that matches nothing is stale (the problem was fixed, or it sits on the wrong line) and would silently hide the next real finding in that place. Rules that are turned off are not checked for unused suppressions.",
    fix: "Delete the suppression, or drop the rule id that no longer fires, or move the comment to the line just above the finding:\n\n```yaml\n      securityContext:\n        # podguard-ignore privileged-container -- CNI plugin needs host access\n        privileged: true\n```",
    tags: ["suppression"],
    kinds: ["kubernetes", "compose", "aci", "dockerfile"],
    messages: {
      unused: "This {form} suppresses {rule}, but {rule} reports nothing here: remove it (or the rule id)."
    },
    system: true
  },
  check() {
  }
};

// src/rules/windows-host-process.ts
function hostProcessOf(c) {
  const eff = effective(c, "windowsOptions");
  const own = eff?.source === "container" ? getPair(eff.node, "hostProcess") : void 0;
  return own ?? podHostProcess(c.workload);
}
function podHostProcess(w) {
  return getPair(get(w.podSecurityContext, "windowsOptions"), "hostProcess");
}
var rule39 = {
  meta: {
    id: "windows-host-process",
    title: "Windows HostProcess container",
    level: "error",
    securitySeverity: 9,
    precision: "very-high",
    description: "A pod or container sets securityContext.windowsOptions.hostProcess: true.",
    why: "A Windows HostProcess container runs as a process on the Windows node, outside any container isolation, with access to the host's file system, network and (as SYSTEM or another host account) its privileges: the Windows counterpart of a privileged container. The Pod Security Standards baseline forbids it (\"HostProcess\": `spec.securityContext.windowsOptions.hostProcess` and every container's must be unset or false), and the AKS pod security practice (seed 003) asks for the least privilege a container needs. Kubernetes also requires `hostNetwork: true` for HostProcess pods, which the baseline forbids too.",
    fix: "Run the workload as a normal Windows container; if it really must manage the node, run it from a node-management pipeline instead of a pod:\n\n```yaml\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: false          # or remove the field\n      runAsUserName: ContainerUser\n  hostNetwork: false\n```",
    tags: ["security", "kubernetes", "pod-security", "windows"],
    kinds: ["kubernetes"],
    profile: "baseline",
    messages: {
      hostProcess: "{target} runs as a Windows HostProcess container ({source} level): it has full access to the node.",
      needsHostNetwork: "{workload} sets hostProcess: true without hostNetwork: true; the API server rejects HostProcess pods that do not use the host network."
    }
  },
  check(file, ctx) {
    forEachWorkload(file, (w) => {
      const podPair = podHostProcess(w);
      const seen = /* @__PURE__ */ new Set();
      const pairs2 = [...podPair ? [{ pair: podPair, c: void 0 }] : [], ...w.containers.map((c) => ({ pair: hostProcessOf(c), c }))];
      let any = false;
      for (const { pair, c } of pairs2) {
        if (!pair || asBool(pair.value) !== true) continue;
        any = true;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const podLevel = pair === podPair;
        const target = podLevel || !c ? w.label : c.label;
        ctx.report({ messageId: "hostProcess", data: { target, source: podLevel ? "pod" : "container" }, at: pair, identity: target });
      }
      const hostNet = getPair(w.podSpec, "hostNetwork");
      if (any && !(hostNet && asBool(hostNet.value) === true)) {
        ctx.report({
          messageId: "needsHostNetwork",
          data: { workload: w.label },
          at: hostNet ?? getPair(w.podSpec, "containers") ?? w.podSpec,
          identity: w.label,
          level: "note"
        });
      }
    });
  }
};

// src/rules/writable-root-filesystem.ts
var rule40 = {
  meta: {
    id: "writable-root-filesystem",
    title: "Writable root file system",
    level: "warning",
    securitySeverity: 4,
    precision: "very-high",
    description: "A container does not set readOnlyRootFilesystem: true.",
    why: "With a writable root file system an attacker who gets code execution can drop tools, replace binaries or persist changes inside the container, and the image no longer tells you what runs. Microsoft's \"Best practices for pod security in AKS\" asks for the least privileges a container needs; a read-only root is the usual hardening for that, and it makes the container's writes explicit (one `emptyDir` per place it really writes).",
    fix: "Make the root read-only and give the application explicit writable directories:\n\n```yaml\ncontainers:\n  - name: web\n    securityContext:\n      readOnlyRootFilesystem: true\n    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\nvolumes:\n  - name: tmp\n    emptyDir: {}\n```",
    tags: ["security", "kubernetes", "pod-security"],
    kinds: ["kubernetes"],
    messages: {
      missing: "{container} has a writable root file system: set readOnlyRootFilesystem: true{hint}.",
      disabled: "{container} sets readOnlyRootFilesystem to {value}: its root file system is writable."
    }
  },
  check(file, ctx) {
    forEachContainer(file, (c) => {
      const field = containerField(c, "readOnlyRootFilesystem");
      if (!field) {
        ctx.report({
          messageId: "missing",
          data: { container: c.label, hint: podLevelHint(c, "readOnlyRootFilesystem") },
          at: c.anchor,
          identity: c.label
        });
        return;
      }
      if (asBool(field.value) === true) return;
      const value = field.value.kind === "scalar" ? field.value.text || "null" : field.value.kind;
      ctx.report({ messageId: "disabled", data: { container: c.label, value }, at: field, identity: c.label });
    });
  }
};

// src/rules/index.ts
var ALL_RULES = [
  rule,
  rule2,
  rule3,
  rule4,
  rule5,
  rule6,
  rule7,
  rule8,
  rule9,
  rule10,
  rule11,
  rule12,
  rule13,
  rule14,
  rule15,
  rule16,
  rule17,
  rule18,
  rule19,
  rule20,
  rule21,
  rule22,
  rule23,
  rule24,
  rule25,
  rule26,
  rule27,
  rule28,
  rule29,
  rule30,
  rule31,
  rule32,
  rule33,
  rule34,
  rule35,
  rule36,
  rule37,
  rule38,
  rule39,
  rule40
].sort((a, b) => a.meta.id < b.meta.id ? -1 : 1);

// src/workers.ts
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

// src/batch.ts
import { hash as cryptoHash, scryptSync } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

// src/parse/index.ts
import { existsSync } from "node:fs";

// src/parse/kubernetes.ts
function isK8sObjectNode(node) {
  return asText(get(node, "apiVersion")) !== void 0 && asText(get(node, "kind")) !== void 0;
}
function toObject(node, docIndex) {
  const kind = asText(get(node, "kind")) ?? "";
  const meta = asMap(get(node, "metadata"));
  const name = asText(get(meta, "name")) ?? asText(get(meta, "generateName"));
  return {
    apiVersion: asText(get(node, "apiVersion")) ?? "",
    kind,
    name,
    namespace: asText(get(meta, "namespace")),
    node,
    docIndex,
    label: name ? `${kind}/${name}` : kind
  };
}
function k8sObjects(docs) {
  const out = [];
  for (const doc of docs) {
    const root = asMap(doc.root ?? void 0);
    if (!root || !isK8sObjectNode(root)) continue;
    flatten(root, doc.index, out, 0);
  }
  return out;
}
var MAX_LIST_DEPTH = 8;
function flatten(node, docIndex, out, depth) {
  const kind = asText(get(node, "kind")) ?? "";
  if ((kind === "List" || kind.endsWith("List")) && depth < MAX_LIST_DEPTH) {
    const items = get(node, "items");
    if (items?.kind === "seq") {
      for (const item of asItems(items)) if (item.kind === "map" && isK8sObjectNode(item)) flatten(item, docIndex, out, depth + 1);
      return;
    }
  }
  out.push(toObject(node, docIndex));
}

// src/parse/index.ts
var ACI_TYPE = "microsoft.containerinstance/containergroups";
function isAciDoc(doc) {
  const root = asMap(doc.root ?? void 0);
  return asText(get(root, "type"))?.toLowerCase() === ACI_TYPE;
}
function hasTopLevelManifestKeys(text) {
  return /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text);
}
function hasTemplateMarks(text) {
  let at = text.indexOf("{{");
  while (at >= 0) {
    const lineStart = text.lastIndexOf("\n", at - 1) + 1;
    if (!/(^|[ \t])#/.test(text.slice(lineStart, at))) return true;
    at = text.indexOf("{{", at + 2);
  }
  return false;
}
var chartDirs = /* @__PURE__ */ new Map();
function isChartTemplate(absPath) {
  const parts = absPath.split(/[\\/]/);
  for (let i2 = parts.length - 2; i2 > 0; i2--) {
    if (parts[i2] !== "templates") continue;
    const chartDir = parts.slice(0, i2).join("/") || "/";
    let known = chartDirs.get(chartDir);
    if (known === void 0) {
      known = existsSync(`${chartDir}/Chart.yaml`) || existsSync(`${chartDir}/Chart.yml`);
      chartDirs.set(chartDir, known);
    }
    if (known) return true;
  }
  return false;
}
function looksLikeManifest(text) {
  return /^[ \t]*apiVersion[ \t]*:/m.test(text) && /^[ \t]*kind[ \t]*:/m.test(text);
}
function parseFile(source, kindByName) {
  if (kindByName === "dockerfile") {
    const model = parseDockerfile(source.text);
    const offset = (p) => source.lines.lineStart(p.line + 1) + p.character;
    const problems = dockerfileProblems(model).map((p) => ({
      kind: "dockerfile",
      message: p.message,
      offset: offset(p.range.start),
      endOffset: offset(p.range.end)
    }));
    return { kind: "dockerfile", source, model, problems };
  }
  const text = source.text;
  if (kindByName === "named-yaml" && !hasTopLevelManifestKeys(text)) return void 0;
  const parsed = parseYaml(text);
  if (kindByName === "compose") {
    return { kind: "compose", source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  if (hasTemplateMarks(text) && isChartTemplate(source.absPath)) return void 0;
  if (parsed.docs.some(isAciDoc)) {
    return { kind: "aci", source, docs: parsed.docs, problems: parsed.problems, objects: [], workloads: [] };
  }
  const objects = k8sObjects(parsed.docs).filter((o) => !o.apiVersion.startsWith("kustomize.config.k8s.io"));
  if (objects.length === 0 && !(parsed.problems.length > 0 && looksLikeManifest(text))) return void 0;
  const workloads = [];
  for (const o of objects) {
    const w = workloadOf(o);
    if (w) workloads.push(w);
  }
  return { kind: "kubernetes", source, docs: parsed.docs, problems: parsed.problems, objects, workloads };
}

// src/parse/scope.ts
function identityAt(file, pos) {
  if (file.kind === "dockerfile") {
    let label;
    for (const s2 of file.model.stages) {
      if (s2.from.getRange().start.line + 1 > pos.line) break;
      label = s2.alias ? `stage "${s2.alias}"` : `stage ${s2.index}`;
    }
    return label;
  }
  if (file.kind !== "kubernetes") return void 0;
  const offset = file.source.lines.lineStart(pos.line) + pos.column - 1;
  const within = (n) => offset >= n.start && offset < n.end;
  for (const w of file.workloads) {
    if (!within(w.object.node)) continue;
    return w.containers.find((c) => within(c.node))?.label ?? w.label;
  }
  return file.objects.find((o) => within(o.node))?.label;
}

// src/report/safe-text.ts
var UNSAFE_IN_DATA = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
var HASH_COMMAND = /#(?=#(?:vso)?\[)/gi;
var COLON_COMMAND = /^([\s\u0085]*):(?=:)/u;
function escapeChar(ch) {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "	") return "\\t";
  const cp = ch.codePointAt(0);
  return cp > 65535 ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}
function defuseLine(line) {
  return line.replace(HASH_COMMAND, "#\\").replace(COLON_COMMAND, "$1:\\");
}
var MAX_ECHO = 200;
function capText(text, max = MAX_ECHO) {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 55296 && code <= 56319) end--;
  return `${text.slice(0, end)}\u2026 (${text.length} characters)`;
}
function safeData(value, max = MAX_ECHO) {
  return defuseLine(capText(value, max).replace(UNSAFE_IN_DATA, escapeChar));
}
function safeMessageData(data, max = MAX_ECHO) {
  const out = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = typeof v === "string" ? safeData(v, max) : v;
  return out;
}

// src/rules/api.ts
var compiled = /* @__PURE__ */ new Map();
function formatMessage(template, data = {}) {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  if (parts.length === 1) return template;
  const out = parts.slice();
  for (let i2 = 1; i2 < out.length; i2 += 2) {
    const key = out[i2];
    out[i2] = key in data ? String(data[key]) : `{${key}}`;
  }
  return out.join("");
}

// src/suppress/directives.ts
var ANNOTATION = "podguard.dev/ignore";
var COMMENT = /(^|[ \t])#[ \t]*podguard-ignore(-file)?(?=[ \t]|$)([^\r\n]*)/;
var RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function detach(s2) {
  return Buffer.from(s2, "utf8").toString("utf8");
}
function isDate(s2) {
  const m = DATE.exec(s2);
  if (!m) return false;
  const d = /* @__PURE__ */ new Date(`${s2}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s2;
}
function parseDirectiveBody(body) {
  const sep = body.search(/(^|\s)--(\s|$)/);
  const head = sep < 0 ? body : body.slice(0, sep);
  const reason = sep < 0 ? "" : body.slice(sep).replace(/^\s*--/, "").trim();
  const ruleIds = [];
  const problems = [];
  let until;
  for (const token of head.split(/[\s,]+/).filter(Boolean)) {
    if (token.startsWith("until=")) {
      const value = token.slice("until=".length);
      if (isDate(value)) until = value;
      else problems.push({ messageId: "badDate", data: { value: detach(value) } });
    } else if (RULE_ID.test(token)) {
      if (!ruleIds.includes(token)) ruleIds.push(token);
    } else problems.push({ messageId: "badToken", data: { token: detach(token) } });
  }
  if (ruleIds.length === 0 && !problems.some((p) => p.messageId === "badToken")) problems.push({ messageId: "noRules", data: {} });
  return { ruleIds: ruleIds.map(detach), reason: detach(reason), ...until ? { until: detach(until) } : {}, problems };
}
function scalarSpans(node, out) {
  if (!node) return;
  if (node.kind === "scalar") out.push([node.start, node.end]);
  else if (node.kind === "seq") for (const i2 of node.items) scalarSpans(i2, out);
  else
    for (const p of node.pairs) {
      scalarSpans(p.key, out);
      scalarSpans(p.value, out);
    }
}
function isCommentLine(line) {
  return /^[ \t]*#/.test(line);
}
function instructionEnd(lines, line, escape2) {
  let i2 = line - 1;
  while (i2 < lines.length - 1) {
    const cur = lines[i2];
    if (!isCommentLine(cur) && !cur.trimEnd().endsWith(escape2)) break;
    i2++;
  }
  return i2 + 1;
}
function commentDirectives(file, out) {
  const source = file.source;
  const lines = source.text.split(/\r\n|\r|\n/);
  const dockerfile = file.kind === "dockerfile";
  let spans;
  const escape2 = dockerfile ? /^#[ \t]*escape[ \t]*=[ \t]*(\S)/im.exec(source.text)?.[1] ?? "\\" : "\\";
  for (let i2 = 0; i2 < lines.length; i2++) {
    const text = lines[i2];
    if (!text.includes("podguard-ignore")) continue;
    const m = COMMENT.exec(text);
    if (!m) continue;
    const hashCol = m.index + m[1].length;
    const ownLine = text.slice(0, hashCol).trim() === "";
    const lineNo = i2 + 1;
    if (!dockerfile) {
      spans ??= (() => {
        const acc = [];
        for (const d of file.docs) scalarSpans(d.root, acc);
        return acc;
      })();
      const offset = source.lines.lineStart(lineNo) + hashCol;
      if (spans.some(([a, b]) => offset >= a && offset < b)) continue;
    }
    const range = { start: { line: lineNo, column: hashCol + 1 }, end: { line: lineNo, column: text.length + 1 } };
    const body = parseDirectiveBody(m[3]);
    const fileWide = m[2] === "-file";
    let scope;
    if (fileWide) scope = { kind: "file" };
    else if (!ownLine) {
      if (dockerfile) {
        out.push({
          form: "comment",
          ...body,
          problems: [{ messageId: "trailingDockerfile", data: {} }],
          range,
          scope: { kind: "lines", from: lineNo, to: lineNo },
          text: m[0].trim()
        });
        continue;
      }
      scope = { kind: "lines", from: lineNo, to: lineNo };
    } else {
      let target = lineNo + 1;
      while (target <= lines.length && isCommentLine(lines[target - 1])) target++;
      scope = { kind: "lines", from: target, to: dockerfile ? instructionEnd(lines, target, escape2) : target };
    }
    out.push({ form: fileWide ? "file comment" : "comment", ...body, range, scope, text: detach(m[0].trim()) });
  }
}
function nodeRange(source, node) {
  return source.lines.range(node.start, node.end);
}
function union(a, b) {
  const before = (x, y) => x.line < y.line || x.line === y.line && x.column < y.column;
  return { start: before(a.start, b.start) ? a.start : b.start, end: before(a.end, b.end) ? b.end : a.end };
}
function annotationDirectives(file, out) {
  const source = file.source;
  for (const obj of file.objects) {
    const workload = file.workloads.find((w) => w.object === obj);
    const objMeta = asMap(get(obj.node, "metadata"));
    const metas = [{ meta: objMeta, range: nodeRange(source, obj.node) }];
    if (workload?.podMeta && workload.podMeta !== objMeta) {
      metas.push({ meta: workload.podMeta, range: union(nodeRange(source, workload.podMeta), nodeRange(source, workload.podSpec)) });
    }
    for (const { meta, range: region } of metas) {
      const annotations = asMap(get(meta, "annotations"));
      for (const pair of annotations?.pairs ?? []) {
        const key = pair.keyText;
        if (key !== ANNOTATION && !key.startsWith(`${ANNOTATION}.`)) continue;
        const range = source.lines.range(pair.key.start, Math.max(pair.key.end, pair.value.end));
        const body = parseDirectiveBody(asText(pair.value) ?? "");
        const text = detach(`${key}: ${asText(pair.value) ?? ""}`);
        if (key === ANNOTATION) {
          out.push({ form: "annotation", ...body, range, scope: { kind: "region", range: region }, text });
          continue;
        }
        const name = key.slice(ANNOTATION.length + 1);
        const containers = (workload?.containers ?? []).filter((c) => c.name === name).map((c) => ({ range: nodeRange(source, c.node), label: detach(c.label) }));
        if (containers.length === 0)
          body.problems.push({ messageId: "unknownContainer", data: { container: detach(name), object: obj.label } });
        out.push({ form: "annotation", ...body, range, scope: { kind: "region", range: region, containers }, text });
      }
    }
  }
}
function readDirectives(file) {
  const text = file.source.text;
  const out = [];
  if (text.includes("podguard-ignore")) commentDirectives(file, out);
  if (file.kind === "kubernetes" && text.includes(ANNOTATION)) annotationDirectives(file, out);
  return out;
}

// src/batch.ts
var FINGERPRINT_SALT = "podguard-fp-v1";
var SECRET_SALT = "podguard-secret-fp-v1";
var TEXT_SCAN_RULE = "secret-token";
var SYSTEM_ECHO = 600;
function indentHint(text, offset) {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*securityContext[ \t]*:/.test(text.slice(lineStart, lineStart + 100)) ? " (a container securityContext must line up with that container's name: and image: keys; a pod-level one with containers:)" : "";
}
function hash(parts) {
  return cryptoHash("sha256", `${FINGERPRINT_SALT}\0${parts.join("\0")}`, "hex").slice(0, 32).toUpperCase().toLowerCase();
}
function secretDigest(secret) {
  return scryptSync(secret, SECRET_SALT, 16, { N: 1024, r: 8, p: 1 }).toString("hex");
}
function documentViews(file) {
  if (file.docs.length <= 1) return [file];
  const objects = /* @__PURE__ */ new Map();
  const workloads = /* @__PURE__ */ new Map();
  for (const o of file.objects) push(objects, o.docIndex, o);
  for (const w of file.workloads) push(workloads, w.object.docIndex, w);
  return file.docs.map((doc) => ({
    ...file,
    docs: [doc],
    objects: objects.get(doc.index) ?? [],
    workloads: workloads.get(doc.index) ?? []
  }));
}
function push(map2, key, value) {
  const list = map2.get(key);
  if (list) list.push(value);
  else map2.set(key, [value]);
}
var Collector = class {
  findings = [];
  redactor = new Redactor();
  /**
   * Fingerprints seen in the current file (they include the file's path, so they cannot collide
   * across files); cleared per file so memory does not grow with the repository.
   */
  fpCounts = /* @__PURE__ */ new Map();
  /**
   * The current file's identities and ranges, so findings about the same container share one
   * string and one range object: a large scan holds hundreds of thousands of findings, and
   * measured on 10,000 manifests this halved the memory each one takes (755 to ~400 bytes).
   */
  identities = /* @__PURE__ */ new Map();
  ranges = /* @__PURE__ */ new Map();
  file;
  // Per scan, so no secret outlives the scan in a module-level cache.
  digests = /* @__PURE__ */ new Map();
  digest(secret) {
    let d = this.digests.get(secret);
    if (d === void 0) this.digests.set(secret, d = secretDigest(secret));
    return d;
  }
  /** Forgets the current file's fingerprints and shared values (called between files). */
  endFile() {
    this.fpCounts = /* @__PURE__ */ new Map();
    this.identities = /* @__PURE__ */ new Map();
    this.ranges = /* @__PURE__ */ new Map();
    this.file = void 0;
  }
  intern(identity) {
    const known = this.identities.get(identity);
    if (known !== void 0) return known;
    const flat = identity.length > 0 ? Buffer.from(identity, "utf8").toString("utf8") : "";
    this.identities.set(flat, flat);
    return flat;
  }
  shared(range) {
    const { start, end } = range;
    const key = `${start.line}:${start.column}:${end.line}:${end.column}`;
    let r2 = this.ranges.get(key);
    if (!r2) {
      r2 = Object.freeze({
        start: Object.freeze({ line: start.line, column: start.column }),
        end: Object.freeze({ line: end.line, column: end.column })
      });
      this.ranges.set(key, r2);
    }
    return r2;
  }
  /**
   * Takes findings made elsewhere (another thread's batch), sharing identities and ranges per file
   * again: structured cloning gives every finding its own copies.
   */
  adopt(findings) {
    for (const f of findings) {
      if (f.file !== this.file) {
        this.endFile();
        this.file = f.file;
      }
      f.identity = this.intern(f.identity);
      f.range = this.shared(f.range);
      this.findings.push(f);
    }
    this.endFile();
  }
  add(rule41, level, file, r2) {
    if (r2.secret) this.redactor.add(r2.secret);
    for (const form of r2.secretForms ?? []) this.redactor.add(form);
    const configured = r2.level && level === rule41.meta.level ? r2.level : level;
    const identity = this.intern(r2.identity ?? "");
    const value = r2.secret ? `secret:${this.digest(r2.secret)}` : r2.value ?? "";
    let fp = hash([rule41.meta.id, file.path, identity, r2.messageId, value]);
    const n = this.fpCounts.get(fp) ?? 0;
    this.fpCounts.set(fp, n + 1);
    if (n > 0) fp = hash([fp, String(n)]);
    const template = rule41.meta.messages[r2.messageId];
    if (template === void 0) throw new Error(`rule ${rule41.meta.id} reported unknown message id "${r2.messageId}"`);
    this.findings.push({
      ruleId: rule41.meta.id,
      messageId: r2.messageId,
      level: configured,
      // Data from the file is made one safe line (no log command, capped); the report's own secret
      // is masked here, where it is, whatever it looks like; the scan-wide redactor runs at output.
      message: maskValues(formatMessage(template, safeMessageData(r2.data, rule41.meta.system ? SYSTEM_ECHO : void 0)), [
        r2.secret,
        ...r2.secretForms ?? []
      ]),
      file: file.path,
      range: this.shared(rangeOf(file, r2.at)),
      identity,
      fingerprint: fp,
      ...r2.properties ? { properties: r2.properties } : {}
    });
  }
};
function readCandidate(absPath, maxBytes) {
  let fd;
  try {
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { error: "it is not a regular file" };
    if (st.size > maxBytes) return { error: `it is ${st.size} bytes, over the maxFileBytes limit of ${maxBytes}` };
    return { buf: readFileSync(fd) };
  } catch (err) {
    return { error: `it could not be read (${err.code ?? "error"})` };
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
var FileChecker = class {
  constructor(settings, active, system) {
    this.settings = settings;
    this.active = active;
    this.system = system;
  }
  settings;
  active;
  system;
  templates = [];
  /**
   * The token scan over the text of a candidate that is not checked as a manifest (a chart
   * template, a values file, a broken document): a secret leaks whatever the file's shape.
   */
  scanText(source, out) {
    const unit = { kind: "kubernetes", source, docs: [], problems: [], objects: [], workloads: [] };
    for (const { rule: rule41, level, ctx } of this.active) {
      if (rule41.meta.id !== TEXT_SCAN_RULE) continue;
      try {
        ctx.report = (r2) => out.add(rule41, level, r2.file ?? source, { ...r2, identity: r2.identity ?? "" });
        rule41.check(unit, ctx);
      } catch (err) {
        this.system(out, "internal-error", source, source.lines.range(0, 0), "rule", { rule: rule41.meta.id, error: safeErrorText(err) });
      }
    }
  }
  /**
   * Checks `files` in order. Cross-file rules start from an empty state, returned in the result,
   * so batches checked on different threads merge into what one thread would have built.
   */
  run(files) {
    const out = new Collector();
    const directives = [];
    const filesScanned = { kubernetes: 0, dockerfile: 0, compose: 0, aci: 0 };
    this.templates = [];
    const crossFile = this.active.filter((a) => a.rule.finish);
    for (const a of crossFile) a.ctx.state = /* @__PURE__ */ new Map();
    for (const c of files) {
      out.endFile();
      this.checkFile(c, out, directives, filesScanned);
    }
    out.endFile();
    return {
      findings: out.findings,
      secrets: [...out.redactor.secrets],
      directives,
      filesScanned,
      states: crossFile.map((a) => [a.rule.meta.id, a.ctx.state]),
      templates: this.templates
    };
  }
  checkFile(c, out, directives, filesScanned) {
    const system = (id, file, at, messageId, data) => this.system(out, id, file, at, messageId, data);
    const { buf, error } = readCandidate(c.absPath, this.settings.maxFileBytes);
    if (!buf) {
      const f = sourceFile(c.absPath, c.relPath, "");
      system("file-error", f, f.lines.range(0, 0), "skipped", { reason: error ?? "it could not be read" });
      return;
    }
    const decoded = decode(buf);
    if (!decoded.ok) {
      const f = sourceFile(c.absPath, c.relPath, "");
      system("file-error", f, f.lines.range(0, 0), "skipped", { reason: decoded.reason });
      return;
    }
    const source = sourceFile(c.absPath, c.relPath, decoded.text);
    let parsed;
    try {
      parsed = parseFile(source, c.nameKind);
    } catch (err) {
      system("internal-error", source, source.lines.range(0, 0), "parser", { error: safeErrorText(err) });
      return;
    }
    if (!parsed) {
      if (c.nameKind !== "dockerfile" && hasTemplateMarks(source.text) && isChartTemplate(source.absPath)) this.templates.push(source.path);
      this.scanText(source, out);
      return;
    }
    filesScanned[parsed.kind]++;
    try {
      const found = readDirectives(parsed);
      if (found.length) directives.push([source.path, found]);
    } catch (err) {
      system("internal-error", source, source.lines.range(0, 0), "rule", { rule: "suppression reading", error: safeErrorText(err) });
    }
    if (decoded.invalidAt !== void 0) {
      const pos = source.lines.position(decoded.invalidAt);
      system("file-error", source, source.lines.lineRange(pos.line, source.text), "encoding", { line: pos.line });
    }
    for (const p of parsed.problems) {
      const at = source.lines.range(p.offset, p.endOffset ?? p.offset);
      if (p.kind === "duplicate-key") system("duplicate-key", source, at, "duplicate", { message: p.message });
      else if (p.kind === "dockerfile") system("parse-error", source, at, "dockerfile", { message: p.message });
      else system("parse-error", source, at, "syntax", { message: p.message + indentHint(source.text, p.offset) });
    }
    const units = parsed.kind === "dockerfile" ? [parsed] : documentViews(parsed);
    const broken = parsed.kind !== "dockerfile" && parsed.problems.some((p) => p.kind === "syntax") && parsed.docs.length > 1;
    for (const { rule: rule41, level, ctx } of this.active) {
      if (!rule41.meta.kinds.includes(parsed.kind)) continue;
      const ruleUnits = broken && rule41.meta.id === TEXT_SCAN_RULE && parsed.kind !== "dockerfile" ? [{ ...parsed, docs: [] }] : units;
      for (const unit of ruleUnits) {
        const report = (r2) => {
          const own = !r2.file || r2.file === source;
          const identity = r2.identity ?? (own ? identityAt(unit, rangeOf(source, r2.at).start) : void 0);
          out.add(rule41, level, r2.file ?? source, identity === r2.identity ? r2 : { ...r2, identity });
        };
        try {
          ctx.report = report;
          rule41.check(unit, ctx);
        } catch (err) {
          const doc = unit.kind === "dockerfile" ? void 0 : unit.docs[0];
          const start = doc?.root?.start ?? 0;
          system("internal-error", source, source.lines.range(start, start), "rule", { rule: rule41.meta.id, error: safeErrorText(err) });
        }
      }
    }
  }
};

// src/workers.ts
function activeRules(plan, registry) {
  const byId = new Map(registry.map((r2) => [r2.meta.id, r2]));
  return plan.rules.map(({ id, level, options }) => {
    const rule41 = byId.get(id);
    if (!rule41) throw new Error(`rule ${id} is not registered in this build`);
    return { rule: rule41, level, ctx: { options, settings: plan.settings, state: /* @__PURE__ */ new Map(), partial: plan.partial, report: () => void 0 } };
  });
}
function systemReporter(plan, registry) {
  const byId = new Map(registry.map((r2) => [r2.meta.id, r2]));
  return (out, id, file, at, messageId, data, identity) => {
    const rule41 = byId.get(id);
    if (!rule41) throw new Error(`system rule ${id} is not registered`);
    const level = plan.systemLevels[id] ?? "off";
    if (level !== "off") out.add(rule41, level, file, { messageId, data, at, ...identity !== void 0 ? { identity } : {} });
  };
}
function runWorker(registry) {
  if (isMainThread || !parentPort) throw new Error("runWorker must run in a worker thread");
  const { plan, batches, next } = workerData;
  const checker = new FileChecker(plan.settings, activeRules(plan, registry), systemReporter(plan, registry));
  for (let i2 = Atomics.add(next, 0, 1); i2 < batches.length; i2 = Atomics.add(next, 0, 1)) {
    const message = { type: "batch", index: i2, result: checker.run(batches[i2]) };
    parentPort.postMessage(message);
  }
  parentPort.postMessage({ type: "done" });
}

// src/entry/worker.ts
runWorker(ALL_RULES);
