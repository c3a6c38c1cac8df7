import Handlebars from 'handlebars';
const dates = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
let t = Date.now(); let n = 0; for (let i = 0; i < 50000; i++) n += dates.format(1796108322318 + i * 60000).length; console.log('intl', Date.now() - t);
const tpl = Handlebars.create().compile('<tr>{{#each cells}}<td>{{this}}</td>{{/each}}</tr>\n');
t = Date.now(); for (let i = 0; i < 50000; i++) n += tpl({ cells: [String(i), 'login', '198.51.100.1', 'x'] }).length; console.log('hbs each', Date.now() - t);
const tpl2 = Handlebars.create().compile('<tr><td>{{c.[0]}}</td></tr>\n');
const esc = Handlebars.Utils.escapeExpression;
t = Date.now(); for (let i = 0; i < 50000; i++) { let s = '<tr>'; for (const c of [String(i), 'login', '198.51.100.1', 'x']) s += `<td>${esc(c)}</td>`; n += s.length; } console.log('escapeExpression manual', Date.now() - t);
