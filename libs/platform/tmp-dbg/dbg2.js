const { mapExceptionToProblem } = require('/work/main/libs/platform/dist/http/exception-mapping.js');
const fastify = require('fastify');
const f = fastify();
const p = f.getDefaultJsonParser('error','error');
p({}, '{"a": ', (err) => { console.log(err.name, err.constructor.name, err instanceof SyntaxError, err.statusCode, err.code, err.message); console.log(mapExceptionToProblem(err, '/x')); });
