-- SPDX-License-Identifier: GPL-3.0-or-later
-- Benchmark only (bench/muc-bench.sh loads it on the peers component): the crowd that
-- bench/peers_component.py plays does not hear the room. In a real room each of the n occupants is a
-- client of its own; here all of them share one component connection, which would have to take the
-- n² presences the room broadcasts while the crowd joins. The room still builds and routes every one of
-- them: only the delivery to the component is dropped. Each occupant's own presence (status 110) still
-- arrives, so the component knows when everyone is in.

local muc_user = "http://jabber.org/protocol/muc#user";

local function is_own_presence(x)
	for status in x:childtags("status") do
		if status.attr.code == "110" then
			return true;
		end
	end
	return false;
end

local function drop_room_broadcast(event)
	local x = event.stanza:get_child("x", muc_user);
	if x and not is_own_presence(x) then
		return true;
	end
end

-- Above mod_component's own handler (priority -1), which forwards to the component.
module:hook("presence/full", drop_room_broadcast, 10);
