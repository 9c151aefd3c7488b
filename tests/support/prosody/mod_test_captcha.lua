-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tests only (the fixture's captcha host): a registration form with a CAPTCHA, as XEP-0158 describes and as
-- servers such as ejabberd send one. Prosody's own registration has none. The form asks for a name, a
-- password and the text of an image carried as Bits of Binary (XEP-0231) and shown through a media element
-- (XEP-0221); an answer without the right text is refused, a right one goes on to mod_register_ibr.

local st = require "prosody.util.stanza";
local base64 = require "prosody.util.encodings".base64;
local sha1 = require "prosody.util.hashes".sha1;

local image_path = module:get_option_string("test_captcha_image");
local expected = module:get_option_string("test_captcha_answer");
local file = assert(io.open(image_path, "rb"));
local image = file:read("*a");
file:close();
local cid = "sha1+" .. sha1(image, true) .. "@bob.xmpp.org";

local function form_reply(stanza)
	local reply = st.reply(stanza):tag("query", { xmlns = "jabber:iq:register" })
		:text_tag("instructions", "Choose a name and a password, and type the text in the picture.")
		:tag("x", { xmlns = "jabber:x:data", type = "form" })
			:tag("title"):text("Sign up"):up()
			:tag("field", { var = "FORM_TYPE", type = "hidden" }):text_tag("value", "jabber:iq:register"):up()
			:tag("field", { var = "username", type = "text-single", label = "Username" }):tag("required"):up():up()
			:tag("field", { var = "password", type = "text-private", label = "Password" }):tag("required"):up():up()
			:tag("field", { var = "ocr", type = "text-single", label = "Text in the picture" })
				:tag("required"):up()
				:tag("media", { xmlns = "urn:xmpp:media-element", width = "120", height = "40" })
					:tag("uri", { type = "image/png" }):text("cid:" .. cid):up()
				:up()
			:up()
		:up()
		:tag("data", { xmlns = "urn:xmpp:bob", cid = cid, type = "image/png", ["max-age"] = "0" })
			:text(base64.encode(image)):up();
	return reply;
end

local function answer_of(query, var)
	local form = query:get_child("x", "jabber:x:data");
	if not form then return nil; end
	for field in form:childtags("field") do
		if field.attr.var == var then
			return field:get_child_text("value");
		end
	end
end

-- Above mod_register_ibr's handler.
module:hook("stanza/iq/jabber:iq:register:query", function(event)
	local session, stanza = event.origin, event.stanza;
	if session.type ~= "c2s_unauthed" then
		return;
	end
	if stanza.attr.type == "get" then
		session.send(form_reply(stanza));
		return true;
	end
	if answer_of(stanza.tags[1], "ocr") ~= expected then
		session.send(st.error_reply(stanza, "modify", "not-acceptable", "The text in the picture is wrong."));
		return true;
	end
end, 10);
