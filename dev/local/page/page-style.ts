/** The local page's stylesheet: Slack-like messages, readable contrast, one column on a phone. */
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1c1d;background:#f8f8f8}
a{color:#0b5394}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.intro{background:#3f0e40;color:#fff;padding:1rem 1.25rem}
.intro h1{margin:0 0 .5rem;font-size:1.5rem}
.intro p{margin:0;max-width:70rem}
.badge{font-size:.8rem;font-weight:600;background:#fff;color:#3f0e40;border-radius:4px;padding:.1rem .4rem;vertical-align:middle}
.layout{display:grid;grid-template-columns:minmax(18rem,26rem) 1fr;gap:1rem;padding:1rem;max-width:90rem}
@media (max-width:52rem){.layout{grid-template-columns:1fr;padding:.5rem}}
.card,.workspace{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin-bottom:1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
h3{font-size:1rem;margin:1rem 0 .5rem}
.field{margin-bottom:.75rem}
label{display:block;font-weight:600;margin-bottom:.2rem}
select,input{font:inherit;width:100%;padding:.45rem .5rem;border:1px solid #767676;border-radius:6px;background:#fff;color:#1d1c1d}
.command-line{display:flex;align-items:center;gap:.25rem}
.command-name{font-family:ui-monospace,monospace;font-weight:600}
.hint{font-size:.875rem;color:#4a4a4a;margin:.25rem 0 0}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #1d1c1d;background:#fff;color:#1d1c1d;cursor:pointer;min-height:2.5rem}
button.primary{background:#007a5a;border-color:#007a5a;color:#fff;font-weight:600}
button:disabled{opacity:.55;cursor:not-allowed}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem}
.reply{margin-top:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
.reply:empty{display:none}
.reply.ephemeral{background:#f4f4f4;border-left:4px solid #616061;padding:.5rem .75rem;border-radius:4px}
.reply .only-you{display:block;font-size:.8rem;color:#4a4a4a}
.error{color:#b3261e}
.pr-list{list-style:none;margin:0;padding:0}
.pr-list li{border-top:1px solid #e5e5e5;padding:.6rem 0}
.pr-list .pr-title{font-weight:600;overflow-wrap:anywhere}
.pr-list .pr-state{font-size:.85rem;color:#4a4a4a}
.pr-list .buttons button{padding:.3rem .6rem;min-height:2.25rem;font-size:.9rem}
.pr-list .title-edit{display:flex;align-items:center;gap:.5rem;margin-top:.4rem}
.pr-list .title-edit button{flex:none}
.channels h2{margin-top:.25rem}
.workspace h3{margin-top:0}
.channel{border-top:1px solid #e5e5e5;padding-top:.5rem;margin-top:.5rem}
.channel h4{margin:0 0 .25rem;font-size:1rem}
.channel .flags{font-weight:400;font-size:.85rem;color:#4a4a4a}
.messages{list-style:none;margin:0;padding:0}
.message{padding:.5rem .25rem;border-radius:6px}
.message:hover{background:#f8f8f8}
.message .who{font-weight:700}
.message .app{font-size:.7rem;font-weight:600;background:#e8e8e8;color:#1d1c1d;border-radius:3px;padding:0 .25rem;margin-left:.25rem}
.message time{font-size:.8rem;color:#4a4a4a;margin-left:.4rem}
.message .edited{font-size:.8rem;color:#4a4a4a}
.thread-count{font-size:.85rem;font-weight:600;color:#0b5394;margin-top:.3rem}
.thread{border-left:3px solid #ddd;margin:.25rem 0 0 .5rem;padding-left:.5rem}
.block{margin:.2rem 0;overflow-wrap:anywhere;white-space:pre-wrap}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.35rem .75rem;margin:.35rem 0}
.fields dt{font-weight:700}
.fields dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.context{font-size:.85rem;color:#4a4a4a}
.mention{background:#e8f5fa;color:#0b5394;border-radius:3px;padding:0 .15rem}
code{font-family:ui-monospace,monospace;font-size:.85em;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 .2rem;color:#b3261e}
.reactions{list-style:none;display:flex;flex-wrap:wrap;gap:.35rem;margin:.3rem 0 0;padding:0}
.reactions li{border:1px solid #1d9bd1;background:#e8f5fa;border-radius:12px;padding:0 .5rem;font-size:.9rem}
.empty{color:#4a4a4a;font-style:italic}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
